package dev.surge.testsupport;

import java.util.Map;
import java.util.Optional;

import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The real servers every module's tests talk to, provisioned once per test JVM.
 *
 * <p>With a Docker engine, Testcontainers starts PostgreSQL, Redis and Kafka. Without one (our
 * machines and CI), the local PostgreSQL and Redis services are used (overridable with
 * {@code SURGE_TEST_PG_HOST}, {@code SURGE_TEST_PG_PORT}, {@code SURGE_TEST_PG_USER},
 * {@code SURGE_TEST_PG_PASSWORD}, {@code SURGE_TEST_REDIS_HOST}, {@code SURGE_TEST_REDIS_PORT}) and
 * one in-JVM Kafka KRaft broker is started on a random port. Isolation between test classes comes
 * from {@link TestIsolation}, not from separate servers.
 */
public final class Infrastructure {

    private static final boolean DOCKER = DockerProbe.engineAvailable();

    private static PostgresServer postgres;
    private static RedisServer redis;
    private static KafkaServer kafka;
    private static IdentityProvider identityProvider;

    private Infrastructure() {
    }

    public static synchronized PostgresServer postgres() {
        if (postgres == null) {
            postgres = DOCKER ? containerPostgres() : localPostgres();
        }
        return postgres;
    }

    public static synchronized RedisServer redis() {
        if (redis == null) {
            redis = DOCKER ? containerRedis() : localRedis();
        }
        return redis;
    }

    public static synchronized KafkaServer kafka() {
        if (kafka == null) {
            kafka = DOCKER ? containerKafka() : KafkaServer.start(new EmbeddedKafkaKraftBroker(1, 3));
        }
        return kafka;
    }

    /** The OpenID Connect provider tokens come from: always in this JVM, Docker or not. */
    public static synchronized IdentityProvider identityProvider() {
        if (identityProvider == null) {
            identityProvider = IdentityProvider.start();
        }
        return identityProvider;
    }

    private static PostgresServer localPostgres() {
        return new PostgresServer(
                env("SURGE_TEST_PG_HOST").orElse("127.0.0.1"),
                Integer.parseInt(env("SURGE_TEST_PG_PORT").orElse("5432")),
                env("SURGE_TEST_PG_USER").orElse("postgres"),
                env("SURGE_TEST_PG_PASSWORD").orElse(""));
    }

    private static RedisServer localRedis() {
        return new RedisServer(
                env("SURGE_TEST_REDIS_HOST").orElse("127.0.0.1"),
                Integer.parseInt(env("SURGE_TEST_REDIS_PORT").orElse("6379")));
    }

    @SuppressWarnings("resource")
    private static PostgresServer containerPostgres() {
        PostgreSQLContainer container = new PostgreSQLContainer("postgres:15-alpine");
        container.start();
        return new PostgresServer(container.getHost(), container.getMappedPort(5432),
                container.getUsername(), container.getPassword());
    }

    @SuppressWarnings("resource")
    private static RedisServer containerRedis() {
        GenericContainer<?> container = new GenericContainer<>("redis:7-alpine").withExposedPorts(6379);
        container.start();
        return new RedisServer(container.getHost(), container.getMappedPort(6379));
    }

    @SuppressWarnings("resource")
    private static KafkaServer containerKafka() {
        KafkaContainer container = new KafkaContainer("apache/kafka:4.1.2")
                .withEnv(Map.of("KAFKA_NUM_PARTITIONS", "3", "KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false"));
        container.start();
        return new KafkaServer(container.getBootstrapServers(), container::stop);
    }

    private static Optional<String> env(String name) {
        return Optional.ofNullable(System.getenv(name)).filter(value -> !value.isBlank());
    }
}
