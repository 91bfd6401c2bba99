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
        broker.brokerProperties(Map.of(
                "num.partitions", "3",
                "group.initial.rebalance.delay.ms", "0",
                "auto.create.topics.enable", "true"));
        broker.afterPropertiesSet();
        KafkaServer server = new KafkaServer(broker.getBrokersAsString(), broker::destroy);
        Runtime.getRuntime().addShutdownHook(new Thread(server.stop(), "kafka-test-broker-stop"));
        return server;
    }
}
