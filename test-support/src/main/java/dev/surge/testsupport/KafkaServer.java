package dev.surge.testsupport;

import java.util.Map;

import org.springframework.kafka.test.EmbeddedKafkaBroker;

/**
 * A Kafka broker reachable from the tests: one per test JVM, stopped when the JVM exits.
 *
 * @param bootstrapServers the {@code host:port} list clients connect to
 * @param stop shuts the broker down and deletes its data
 */
public record KafkaServer(String bootstrapServers, Runnable stop) {

    /** Starts an in-JVM broker and registers its shutdown with the JVM. */
    public static KafkaServer start(EmbeddedKafkaBroker broker) {
        // Auto-creation off, as in dev and production: services create their topics at start, and a
        // test that would only pass because the broker made a topic on first use fails here.
        broker.brokerProperties(Map.of(
                "num.partitions", "3",
                "group.initial.rebalance.delay.ms", "0",
                "auto.create.topics.enable", "false"));
        broker.afterPropertiesSet();
        KafkaServer server = new KafkaServer(broker.getBrokersAsString(), broker::destroy);
        Runtime.getRuntime().addShutdownHook(new Thread(server.stop(), "kafka-test-broker-stop"));
        return server;
    }
}
