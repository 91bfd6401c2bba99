package dev.surge.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
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
import reactor.core.publisher.Sinks;
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
    void aCommitWakesTheWaitingRelayLongBeforeItsPollAndARollbackDoesNot() throws InterruptedException {
        long before = fixture.signal.seen();
        StepVerifier.create(fixture.transactions.transactional(
                        fixture.outbox.append(EventRoundTripIT.statusChange(UUID.randomUUID(), 1))
                                .then(Mono.error(new IllegalStateException("state change failed")))))
                .verifyError(IllegalStateException.class);
        assertThat(fixture.signal.seen()).as("a rolled-back transaction signals nothing").isEqualTo(before);
        StepVerifier.create(fixture.database.sql("DELETE FROM outbox WHERE published_at IS NULL").then()).verifyComplete();

        MessagingProperties.Relay slowPolls = new MessagingProperties.Relay(true, Duration.ofSeconds(60), Duration.ofMillis(5), 50,
                Duration.ofDays(1), 5, Duration.ofSeconds(60));
        Disposable loop = fixture.relay(fixture.publisher, slowPolls).run().subscribe();
        UUID orderId = UUID.randomUUID();
        try {
            // the loop's first batch finds nothing; it then waits up to its 60 s poll
            Thread.sleep(500);
            writeInOneTransaction(fixture, orderId, 1, 2);
            assertThat(fixture.signal.seen()).as("the commit is counted").isGreaterThan(before);
            await().atMost(Duration.ofSeconds(5)).until(() -> unpublished(fixture) == 0);
        }
        finally {
            loop.dispose();
        }
        assertThat(fixture.readAll(Topics.ORDERS, record -> record.key().equals(orderId.toString()), 2, Duration.ofSeconds(20)))
                .hasSize(2);
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

        // the failed batch (3), its first row again while the relay looked for a refused row (1),
        // and the successful batch (3): duplicates, never a loss
        List<ConsumerRecord<String, byte[]>> records = fixture.readAll(Topics.ORDERS,
                record -> record.key().equals(orderId.toString()), 7, Duration.ofSeconds(20));
        assertThat(records).hasSize(7);
        assertThat(records.stream().map(this::eventId).collect(Collectors.toSet())).hasSize(3);
        assertThat(unpublished(fixture)).isZero();
    }

    @Test
    void aSecondRelayPublishesNothingWhileTheFirstHoldsTheLock() {
        UUID orderId = UUID.randomUUID();
        writeInOneTransaction(fixture, orderId, 1, 40);
        // the first relay's send waits, inside its transaction and so under the lock, until the
        // second relay has tried: the two batches overlap every time, not only when they happen to
        Sinks.Empty<Void> firstIsSending = Sinks.empty();
        Sinks.Empty<Void> secondHasTried = Sinks.empty();
        EventPublisher gated = gatedPublisher(firstIsSending, secondHasTried.asMono());
        OutboxRelay first = fixture.relay(gated);
        OutboxRelay second = fixture.relay(fixture.publisher);
        Mono<Integer> secondAfterFirstLocked = firstIsSending.asMono()
                .then(second.relayBatch())
                .doOnNext(published -> secondHasTried.tryEmitEmpty());

        StepVerifier.create(Mono.zip(first.relayBatch(), secondAfterFirstLocked))
                .assertNext(published -> {
                    assertThat(published.getT1()).as("the lock holder publishes the batch").isEqualTo(40);
                    assertThat(published.getT2()).as("the other relay finds the lock taken").isZero();
                })
                .verifyComplete();
        List<ConsumerRecord<String, byte[]>> records = fixture.readAll(Topics.ORDERS,
                record -> record.key().equals(orderId.toString()), 40, Duration.ofSeconds(20));
        assertThat(records).hasSize(40);
        assertThat(unpublished(fixture)).isZero();
    }

    @Test
    void aStalledBatchTimesOutRollsBackAndTheLoopGoesOn() {
        UUID orderId = UUID.randomUUID();
        writeInOneTransaction(fixture, orderId, 1, 3);
        MessagingProperties.Relay shortBatches = new MessagingProperties.Relay(true, Duration.ofMillis(50), Duration.ofMillis(5), 50,
                Duration.ofDays(1), 5, Duration.ofMillis(500));
        EventPublisher stalls = new ForwardingPublisher(fixture.publisher) {
            @Override
            public Mono<Void> send(List<OutgoingMessage> messages) {
                return Mono.never();
            }
        };
        StepVerifier.create(fixture.relay(stalls, shortBatches).relayBatch())
                .expectError(TimeoutException.class)
                .verify(Duration.ofSeconds(10));
        assertThat(unpublished(fixture)).isEqualTo(3);

        // the first batch of the loop stalls; the loop must go on, take the lock again and publish
        AtomicInteger sends = new AtomicInteger();
        EventPublisher stallsOnce = new ForwardingPublisher(fixture.publisher) {
            @Override
            public Mono<Void> send(List<OutgoingMessage> messages) {
                return sends.getAndIncrement() == 0 ? Mono.never() : super.send(messages);
            }
        };
        Disposable loop = fixture.relay(stallsOnce, shortBatches).run().subscribe();
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> unpublished(fixture) == 0);
        }
        finally {
            loop.dispose();
        }
        assertThat(sends.get()).as("the stalled send and at least one after it").isGreaterThanOrEqualTo(2);
        assertThat(fixture.readAll(Topics.ORDERS, record -> record.key().equals(orderId.toString()), 3, Duration.ofSeconds(20)))
                .hasSize(3);
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
            AtomicInteger failedSends = new AtomicInteger();
            EventPublisher counting = new ForwardingPublisher(cutOff.publisher) {
                @Override
                public Mono<Void> send(List<OutgoingMessage> messages) {
                    return super.send(messages).doOnError(failure -> failedSends.incrementAndGet());
                }
            };
            Disposable relay = cutOff.relay(counting).run().subscribe();
            try {
                writeInOneTransaction(cutOff, first, 1, 5);
                await().atMost(Duration.ofSeconds(30)).until(() -> unpublished(cutOff) == 0);

                proxy.cut();
                writeInOneTransaction(cutOff, first, 6, 10);
                writeInOneTransaction(cutOff, second, 1, 10);
                // two whole relay passes (each: the batch, then one send per aggregate) failed
                int before = failedSends.get();
                await().atMost(Duration.ofSeconds(60)).until(() -> failedSends.get() - before >= 6);
                assertThat(unpublished(cutOff)).as("nothing published while the broker is away").isEqualTo(15);
                assertThat(parked(cutOff)).as("an outage parks nothing").isZero();

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

    private static EventPublisher gatedPublisher(Sinks.Empty<Void> sending, Mono<Void> gate) {
        return new ForwardingPublisher(fixture.publisher) {
            @Override
            public Mono<Void> send(List<OutgoingMessage> messages) {
                return Mono.fromRunnable(sending::tryEmitEmpty)
                        .then(gate)
                        .then(super.send(messages));
            }
        };
    }

    private static long parked(MessagingFixture target) {
        return target.database.sql("SELECT count(*) AS n FROM outbox WHERE parked_at IS NOT NULL")
                .map(row -> row.get("n", Long.class))
                .one()
                .blockOptional(Duration.ofSeconds(5))
                .orElseThrow();
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
