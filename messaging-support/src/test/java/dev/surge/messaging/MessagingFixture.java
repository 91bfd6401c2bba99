package dev.surge.messaging;

import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.core.ConditionTimeoutException;
import org.flywaydb.core.Flyway;
import org.springframework.r2dbc.connection.R2dbcTransactionManager;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;

import dev.surge.events.EventCodec;
import dev.surge.events.EventEnvelope;
import dev.surge.testsupport.Infrastructure;
import dev.surge.testsupport.PostgresServer;
import dev.surge.testsupport.TestIsolation;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.r2dbc.postgresql.PostgresqlConnectionConfiguration;
import io.r2dbc.postgresql.PostgresqlConnectionFactory;
import io.r2dbc.spi.ConnectionFactory;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** Messaging parts wired by hand over a test class's own database and topic namespace. */
final class MessagingFixture implements AutoCloseable {

    final TestIsolation isolation;
    final ConnectionFactory connectionFactory;
    final DatabaseClient database;
    final TransactionalOperator transactions;
    final EventCodec codec = new EventCodec();
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final TopicNamespace namespace;
    final MessagingProperties properties;
    final TopicAdministration topics;
    final KafkaEventPublisher publisher;
    final KafkaEventReceiver receiver;
    final OutboxSignal signal = new OutboxSignal();
    final Outbox outbox;
    final OutboxOperations outboxOperations;
    final Inbox inbox;

    MessagingFixture(Class<?> testClass) {
        this(testClass, Infrastructure.kafka().bootstrapServers());
    }

    MessagingFixture(Class<?> testClass, String bootstrapServers) {
        isolation = TestIsolation.forClass(testClass);
        PostgresServer postgres = Infrastructure.postgres();
        Flyway.configure()
                .dataSource(isolation.jdbcUrl(), postgres.user(), postgres.password())
                .locations("classpath:db/messaging", "classpath:db/messaging-test")
                .load()
                .migrate();
        connectionFactory = new PostgresqlConnectionFactory(PostgresqlConnectionConfiguration.builder()
                .host(postgres.host())
                .port(postgres.port())
                .username(postgres.user())
                .password(postgres.password())
                .database(isolation.database())
                .build());
        database = DatabaseClient.create(connectionFactory);
        transactions = TransactionalOperator.create(new R2dbcTransactionManager(connectionFactory));
        namespace = new TopicNamespace(isolation.topicNamespace());
        properties = new MessagingProperties(bootstrapServers, isolation.topicNamespace(),
                Duration.ofSeconds(3), Duration.ofSeconds(2),
                new MessagingProperties.Receiver(3, Duration.ofSeconds(10), Duration.ofMillis(20), Duration.ofMillis(100), Duration.ofMillis(50),
                        20, Duration.ofSeconds(40), Duration.ofSeconds(60), 10),
                new MessagingProperties.Relay(true, Duration.ofMillis(50), Duration.ofMillis(5), 50, Duration.ofDays(1), 5, Duration.ofSeconds(60)),
                new MessagingProperties.InboxCleanup(Duration.ofDays(7), 5000, Duration.ofMinutes(1)),
                new MessagingProperties.TopicSettings(3, null, Map.of()),
                new MessagingProperties.DeadLetters(Duration.ofSeconds(20)));
        topics = new TopicAdministration(properties, "messaging-test", namespace);
        publisher = new KafkaEventPublisher(properties, "messaging-test", codec, namespace, topics.ready());
        receiver = receiver(properties);
        outbox = new Outbox(database, codec, signal);
        outboxOperations = new OutboxOperations(database);
        inbox = new Inbox(database, transactions);
    }

    /** This fixture's settings with other receiver settings. */
    MessagingProperties withReceiver(MessagingProperties.Receiver receiverSettings) {
        return new MessagingProperties(properties.bootstrapServers(), properties.namespace(), properties.sendTimeout(),
                properties.healthTimeout(), receiverSettings, properties.relay(), properties.inbox(), properties.topics(),
                properties.deadLetters());
    }

    /** This fixture's settings with another namespace (so other topics and groups). */
    MessagingProperties withNamespace(String otherNamespace) {
        return new MessagingProperties(properties.bootstrapServers(), otherNamespace, properties.sendTimeout(),
                properties.healthTimeout(), properties.receiver(), properties.relay(), properties.inbox(), properties.topics(),
                properties.deadLetters());
    }

    /** This fixture's settings with other topic settings. */
    MessagingProperties withTopics(MessagingProperties.TopicSettings topicSettings) {
        return new MessagingProperties(properties.bootstrapServers(), properties.namespace(), properties.sendTimeout(),
                properties.healthTimeout(), properties.receiver(), properties.relay(), properties.inbox(), topicSettings,
                properties.deadLetters());
    }

    /** A receiver with other settings, over this fixture's topics and publisher. */
    KafkaEventReceiver receiver(MessagingProperties settings) {
        return new KafkaEventReceiver(settings, "messaging-test", codec, namespace, publisher, topics.ready(), meters);
    }

    /** A consumer of one topic whose effect is the given function. */
    static EventConsumer consumer(String name, String topic, Function<EventEnvelope<?>, Mono<Void>> effect) {
        return new TestConsumer(name, topic, effect, null);
    }

    /** A consumer of one topic that takes batches: {@code batch} for a batch, {@code one} for a record on its own. */
    static EventConsumer batchingConsumer(String name, String topic, Function<List<EventEnvelope<?>>, Mono<Void>> batch,
            Function<EventEnvelope<?>, Mono<Void>> one) {
        return new TestConsumer(name, topic, one, batch);
    }

    private record TestConsumer(String name, String topic, Function<EventEnvelope<?>, Mono<Void>> one,
            Function<List<EventEnvelope<?>>, Mono<Void>> batch) implements EventConsumer {

        @Override
        public Set<String> topics() {
            return Set.of(topic);
        }

        @Override
        public Mono<Void> handle(EventEnvelope<?> event) {
            return one.apply(event);
        }

        @Override
        public boolean batches() {
            return batch != null;
        }

        @Override
        public Mono<Void> handleBatch(List<EventEnvelope<?>> events) {
            return batch == null ? EventConsumer.super.handleBatch(events) : Mono.defer(() -> batch.apply(events));
        }
    }

    OutboxRelay relay(EventPublisher through) {
        return relay(through, properties.relay());
    }

    /** A relay with other settings; its gauges go to {@link #meters} (the last one built wins). */
    OutboxRelay relay(EventPublisher through, MessagingProperties.Relay settings) {
        meters.find("surge.outbox.backlog").meters().forEach(meters::remove);
        meters.find("surge.outbox.parked").meters().forEach(meters::remove);
        return new OutboxRelay(database, transactions, through, settings, new OutboxMetrics(outboxOperations, meters), signal);
    }

    /** Writes events straight to one partition of a topic (the publisher picks partitions by key). */
    void sendTo(String logicalTopic, int partition, List<? extends EventEnvelope<?>> events) {
        StepVerifier.create(topics.ready()).verifyComplete();
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, properties.bootstrapServers());
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        // a topic created a moment ago may not have its leader yet: an idempotent producer's first batches then
        // fail, and its retries meet OUT_OF_ORDER_SEQUENCE_NUMBER for minutes; one batch in flight keeps the order
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
        config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config)) {
            for (EventEnvelope<?> event : events) {
                ProducerRecord<String, byte[]> record = new ProducerRecord<>(namespace.topic(logicalTopic), partition,
                        event.aggregateId(), codec.encode(event));
                KafkaEventPublisher.headers(event)
                        .forEach((name, value) -> record.headers().add(name, value.getBytes(StandardCharsets.UTF_8)));
                producer.send(record);
            }
            producer.flush();
        }
    }

    /** Reads every record of a namespaced topic from the start, for assertions. */
    List<ConsumerRecord<String, byte[]>> readAll(String logicalTopic, int expected, Duration within) {
        return readAll(logicalTopic, record -> true, expected, within);
    }

    /** Reads the records of a namespaced topic that match, until the expected number came or time ran out. */
    List<ConsumerRecord<String, byte[]>> readAll(String logicalTopic, Predicate<ConsumerRecord<String, byte[]>> matching,
            int expected, Duration within) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, properties.bootstrapServers());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "assert-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config)) {
            consumer.subscribe(List.of(namespace.topic(logicalTopic)));
            try {
                await().atMost(within)
                        .pollInterval(Duration.ofMillis(1))
                        .pollInSameThread()
                        .until(() -> {
                            consumer.poll(Duration.ofMillis(200)).forEach(record -> keep(record, matching, records));
                            return records.size() >= expected;
                        });
            }
            catch (ConditionTimeoutException shortfall) {
                // the caller's size assertion shows what came and what did not
            }
            // one more short poll so an unexpected extra record would show up in the assertion
            consumer.poll(Duration.ofMillis(300)).forEach(record -> keep(record, matching, records));
        }
        return records;
    }

    private static void keep(ConsumerRecord<String, byte[]> record, Predicate<ConsumerRecord<String, byte[]>> matching,
            List<ConsumerRecord<String, byte[]>> into) {
        if (matching.test(record)) {
            into.add(record);
        }
    }

    @Override
    public void close() {
        publisher.close();
        topics.close();
        isolation.close();
    }
}
