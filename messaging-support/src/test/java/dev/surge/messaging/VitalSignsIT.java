package dev.surge.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.surge.events.EventCodec;
import dev.surge.events.EventEnvelope;
import dev.surge.events.Topics;
import dev.surge.events.ops.VitalSigns;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * A service's vital signs on {@code shop.ops.v1}: its outbox backlog, its consumer groups' lag as the broker
 * has it, its counts since the previous vital signs (kept when a round could not be sent), and what its
 * sources add, keyed by the instance with a growing version.
 */
class VitalSignsIT {

    private static MessagingFixture fixture;

    @BeforeAll
    static void start() {
        fixture = new MessagingFixture(VitalSignsIT.class);
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    @Test
    void publishesOutboxBacklogConsumerLagCountsAndWhatTheServiceAdds() {
        // the group has committed 2 of the 5 records on partition 0: 3 to go
        fixture.sendTo(Topics.ORDERS, 0, IntStream.rangeClosed(1, 5)
                .mapToObj(version -> EventRoundTripIT.statusChange(UUID.randomUUID(), version)).toList());
        commit("messaging-test.lagging", new TopicPartition(fixture.namespace.topic(Topics.ORDERS), 0), 2);
        // two rows wait in the outbox: no relay loop runs, the relay's reading is refreshed by hand
        StepVerifier.create(fixture.database.sql("DELETE FROM outbox").then()
                        .then(fixture.transactions.transactional(fixture.outbox.append(EventRoundTripIT.statusChange(UUID.randomUUID(), 1))
                                .then(fixture.outbox.append(EventRoundTripIT.statusChange(UUID.randomUUID(), 1))))))
                .verifyComplete();
        OutboxMetrics outboxReading = new OutboxMetrics(fixture.outboxOperations, null);
        StepVerifier.create(outboxReading.refresh()).verifyComplete();
        OutboxRelay relay = new OutboxRelay(fixture.database, fixture.transactions, fixture.publisher, fixture.properties.relay(),
                outboxReading, fixture.signal);
        VitalSignsCounters counters = new VitalSignsCounters();
        VitalSignsSource gatewayLike = new VitalSignsSource() {
            @Override
            public List<VitalSigns.Breaker> breakers() {
                return List.of(new VitalSigns.Breaker("catalog", "OPEN"));
            }

            @Override
            public Integer streams() {
                return 7;
            }
        };
        VitalSignsPublisher vitalSigns = publisher(fixture.publisher, counters, List.of(gatewayLike), relay);
        counters.increment("outOfStockRefusals");
        counters.increment("outOfStockRefusals");
        counters.increment("outOfStockRefusals");

        StepVerifier.create(vitalSigns.publishOnce()).verifyComplete();
        StepVerifier.create(vitalSigns.publishOnce()).verifyComplete();

        List<EventEnvelope<VitalSigns>> published = published(vitalSigns.instance(), 2);
        assertThat(published).extracting(EventEnvelope::aggregateVersion).containsExactly(1L, 2L);
        VitalSigns first = published.get(0).payload();
        assertThat(first.service()).isEqualTo("messaging-test");
        assertThat(first.instance()).isEqualTo(vitalSigns.instance()).startsWith("messaging-test-");
        assertThat(first.intervalMillis()).isEqualTo(1000);
        assertThat(first.outbox()).isEqualTo(new VitalSigns.Outbox(2, 0));
        assertThat(first.consumerLag()).containsExactly(new VitalSigns.ConsumerLag("messaging-test.lagging", 3),
                new VitalSigns.ConsumerLag("messaging-test.never-committed", 0));
        assertThat(first.breakers()).containsExactly(new VitalSigns.Breaker("catalog", "OPEN"));
        assertThat(first.streams()).isEqualTo(7);
        assertThat(first.counts()).isEqualTo(Map.of("outOfStockRefusals", 3L));
        assertThat(published.get(1).payload().counts()).as("counts are per round").isEqualTo(Map.of("outOfStockRefusals", 0L));
    }

    @Test
    void aRoundKafkaRefusedKeepsItsCountsForTheNextAndAServiceWithoutOutboxOrSourcesSaysSo() {
        VitalSignsCounters counters = new VitalSignsCounters();
        boolean[] refuse = { true };
        EventPublisher flaky = new ForwardingPublisher(fixture.publisher) {
            @Override
            public Mono<Void> publish(EventEnvelope<?> envelope) {
                return refuse[0] ? Mono.error(new IllegalStateException("broker away")) : super.publish(envelope);
            }
        };
        VitalSignsPublisher vitalSigns = publisher(flaky, counters, List.of(), null);
        counters.increment("outOfStockRefusals");
        StepVerifier.create(vitalSigns.publishOnce()).verifyError(IllegalStateException.class);
        counters.increment("outOfStockRefusals");
        refuse[0] = false;

        StepVerifier.create(vitalSigns.publishOnce()).verifyComplete();

        VitalSigns published = published(vitalSigns.instance(), 1).get(0).payload();
        assertThat(published.counts()).isEqualTo(Map.of("outOfStockRefusals", 2L));
        assertThat(published.outbox()).isNull();
        assertThat(published.streams()).isNull();
        assertThat(published.breakers()).isEmpty();
    }

    private static VitalSignsPublisher publisher(EventPublisher through, VitalSignsCounters counters,
            List<VitalSignsSource> sources, OutboxRelay relay) {
        return new VitalSignsPublisher("messaging-test", Duration.ofSeconds(1), through, fixture.topics.admin(),
                fixture.namespace, List.of("messaging-test.lagging", "messaging-test.never-committed"), counters, sources, relay);
    }

    private static void commit(String logicalGroup, TopicPartition partition, long offset) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, fixture.properties.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, fixture.namespace.group(logicalGroup),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
            consumer.assign(List.of(partition));
            consumer.commitSync(Map.of(partition, new OffsetAndMetadata(offset)));
        }
    }

    @SuppressWarnings("unchecked")
    private static List<EventEnvelope<VitalSigns>> published(String instance, int expected) {
        List<ConsumerRecord<String, byte[]>> records = fixture.readAll(Topics.OPS, record -> instance.equals(record.key()),
                expected, Duration.ofSeconds(20));
        assertThat(records).hasSize(expected);
        return records.stream()
                .map(record -> (EventEnvelope<VitalSigns>) (EventEnvelope<?>) fixture.codec.decode(header(record, EventCodec.TYPE_HEADER),
                        Integer.parseInt(header(record, EventCodec.VERSION_HEADER)), record.value()))
                .toList();
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), java.nio.charset.StandardCharsets.UTF_8);
    }
}
