package dev.surge.testsupport;

import java.util.Locale;
import java.util.UUID;

/**
 * What one test class owns alone: a PostgreSQL database (created here, dropped by {@link #close()}),
 * a Redis key prefix and a Kafka topic namespace. Names carry the class name for debugging and a
 * random suffix so two runs, or two JVMs, never collide.
 *
 * @param database the database name
 * @param redisKeyPrefix every Redis key the class writes starts with this
 * @param topicNamespace prefix for every topic and consumer group the class uses
 */
public record TestIsolation(String database, String redisKeyPrefix, String topicNamespace) implements AutoCloseable {

    /** Creates the database of a fresh isolation unit for the given test class. */
    public static TestIsolation forClass(Class<?> testClass) {
        String base = testClass.getSimpleName().replaceAll("[^A-Za-z0-9]", "").toLowerCase(Locale.ROOT);
        String name = "t_" + base.substring(0, Math.min(base.length(), 40)) + "_"
                + UUID.randomUUID().toString().substring(0, 8);
        TestIsolation isolation = new TestIsolation(name, name + ":", name.replace('_', '-'));
        Infrastructure.postgres().createDatabase(isolation.database());
        return isolation;
    }

    public String r2dbcUrl() {
        return Infrastructure.postgres().r2dbcUrl(database);
    }

    public String jdbcUrl() {
        return Infrastructure.postgres().jdbcUrl(database);
    }

    /** A topic name inside this class's namespace, as services resolve it. */
    public String topic(String logicalTopic) {
        return topicNamespace + "." + logicalTopic;
    }

    @Override
    public void close() {
        Infrastructure.postgres().dropDatabase(database);
        Infrastructure.redis().deleteKeys(redisKeyPrefix);
    }
}
