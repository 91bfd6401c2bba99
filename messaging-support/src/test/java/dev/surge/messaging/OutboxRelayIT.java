package dev.surge.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import dev.surge.events.EventEnvelope;
import dev.surge.events.Topics;
import dev.surge.events.order.OrderStatusChanged;
import dev.surge.testsupport.KafkaServer;
import dev.surge.testsupport.TcpProxy;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

class OutboxRelayIT {

    private static MessagingFixture fixture;

    @BeforeAll
    static void start() {
        fixture = new MessagingFixture(OutboxRelayIT.class);
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    @Test
    void publishesCommittedRowsInOrderAndNeverRolledBackOnes() {
        UUID committed = UUID.randomUUID();
        UUID rolledBack = UUID.randomUUID();
        writeInOneTransaction(fixture, committed, 1, 5);
        StepVerifier.create(fixture.transactions.transactional(
                        fixture.outbox.append(EventRoundTripIT.statusChange(rolledBack, 1))
                                .then(Mono.error(new IllegalStateException("state change failed")))))
                .verifyError(IllegalStateException.class);

        StepVerifier.create(fixture.relay(fixture.publisher).relayBatch()).expectNext(5).verifyComplete();

        Map<String, List<Long>> versions = versionsByAggregate(fixture.readAll(Topics.ORDERS,
                record -> Set.of(committed.toString(), rolledBack.toString()).contains(record.key()), 5, Duration.ofSeconds(20)));
        assertThat(versions).containsOnlyKeys(committed.toString());
        assertThat(versions.get(committed.toString())).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(unpublished(fixture)).isZero();
    }

    @Test
    void crashAfterSendBeforeCommitRepublishesWithoutLosingARow() {
        UUID orderId = UUID.randomUUID();
        writeInOneTransaction(fixture, orderId, 1, 3);
        EventPublisher crashesAfterSending = new EventPublisher() {
            @Override
            public Mono<Void> publish(EventEnvelope<?> envelope) {
                return Mono.error(new UnsupportedOperationException());
            }

            @Override
            public Mono<Void> send(List<OutgoingMessage> messages) {
                return fixture.publisher.send(messages).then(Mono.error(new IllegalStateException("crash before commit")));
            }
        };
        StepVerifier.create(fixture.relay(crashesAfterSending).relayBatch()).verifyErrorMessage("crash before commit");
        assertThat(unpublished(fixture)).isEqualTo(3);

        StepVerifier.create(fixture.relay(fixture.publisher).relayBatch()).expectNext(3).verifyComplete();

        List<ConsumerRecord<String, byte[]>> records = fixture.readAll(Topics.ORDERS,
                record -> record.key().equals(orderId.toString()), 6, Duration.ofSeconds(20));
        assertThat(records).hasSize(6);
        assertThat(records.stream().map(this::eventId).collect(Collectors.toSet())).hasSize(3);
        assertThat(unpublished(fixture)).isZero();
    }

    @Test
    void twoRelaysSideBySidePublishEachRowOnce() {
        UUID orderId = UUID.randomUUID();
        writeInOneTransaction(fixture, orderId, 1, 40);
        OutboxRelay first = fixture.relay(fixture.publisher);
        OutboxRelay second = fixture.relay(fixture.publisher);
        StepVerifier.create(Flux.merge(first.relayBatch(), second.relayBatch()).reduce(Integer::sum))
                .expectNext(40)
                .verifyComplete();
        List<ConsumerRecord<String, byte[]>> records = fixture.readAll(Topics.ORDERS,
                record -> record.key().equals(orderId.toString()), 40, Duration.ofSeconds(20));
        assertThat(records).hasSize(40);
    }

    @Test
    void rowsWrittenWhileTheBrokerIsUnreachableAllArriveOnceItIsBack() {
        // a broker of its own that advertises the proxy, so every client byte crosses the proxy
        TcpProxy proxy = TcpProxy.listen();
        EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 3);
        broker.brokerProperties(Map.of("advertised.listeners", "EXTERNAL://127.0.0.1:" + proxy.port()));
        KafkaServer server = KafkaServer.start(broker);
        String[] real = server.bootstrapServers().split(",")[0].split(":");
        proxy.forwardTo(real[0], Integer.parseInt(real[1]));
        try (MessagingFixture cutOff = new MessagingFixture(OutboxRelayIT.class, "127.0.0.1:" + proxy.port())) {
            UUID first = UUID.randomUUID();
            UUID second = UUID.randomUUID();
            Disposable relay = cutOff.relay(cutOff.publisher).run().subscribe();
            try {
                writeInOneTransaction(cutOff, first, 1, 5);
                await().atMost(Duration.ofSeconds(30)).until(() -> unpublished(cutOff) == 0);

                proxy.cut();
                writeInOneTransaction(cutOff, first, 6, 10);
                writeInOneTransaction(cutOff, second, 1, 10);
                await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(6))
                        .until(() -> unpublished(cutOff) == 15);

                proxy.restore();
                await().atMost(Duration.ofSeconds(60)).until(() -> unpublished(cutOff) == 0);
            }
            finally {
                relay.dispose();
            }
            Map<String, List<Long>> versions = versionsByAggregate(cutOff.readAll(Topics.ORDERS, 20, Duration.ofSeconds(30)));
            List<Long> oneToTen = IntStream.rangeClosed(1, 10).mapToObj(Long::valueOf).toList();
            assertThat(versions).containsOnlyKeys(first.toString(), second.toString());
            assertThat(versions.get(first.toString())).as("one order's events, in the order they were written")
                    .containsExactlyElementsOf(oneToTen);
            assertThat(versions.get(second.toString())).containsExactlyElementsOf(oneToTen);
        }
        finally {
            proxy.close();
            server.stop().run();
        }
    }

    private static void writeInOneTransaction(MessagingFixture target, UUID orderId, int fromVersion, int toVersion) {
        Flux<Void> writes = Flux.range(fromVersion, toVersion - fromVersion + 1)
                .concatMap(version -> target.outbox.append(EventRoundTripIT.statusChange(orderId, version)));
        StepVerifier.create(target.transactions.transactional(writes.then())).verifyComplete();
    }

    private static long unpublished(MessagingFixture target) {
        return target.database.sql("SELECT count(*) AS n FROM outbox WHERE published_at IS NULL")
                .map(row -> row.get("n", Long.class))
                .one()
                .blockOptional(Duration.ofSeconds(5))
                .orElseThrow();
    }

    private static Map<String, List<Long>> versionsByAggregate(List<ConsumerRecord<String, byte[]>> records) {
        return records.stream().collect(Collectors.groupingBy(ConsumerRecord::key,
                Collectors.mapping(record -> decode(record).aggregateVersion(), Collectors.toList())));
    }

    private UUID eventId(ConsumerRecord<String, byte[]> record) {
        return decode(record).eventId();
    }

    private static EventEnvelope<?> decode(ConsumerRecord<String, byte[]> record) {
        return fixture.codec.decode("OrderStatusChanged", 1, record.value());
    }
}
