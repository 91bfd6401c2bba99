package dev.surge.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.surge.events.EventCodec;
import dev.surge.events.EventEnvelope;
import dev.surge.events.Topics;
import dev.surge.events.order.OrderStatusChanged;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

class DeadLetterIT {

    private static MessagingFixture fixture;

    @BeforeAll
    static void start() {
        fixture = new MessagingFixture(DeadLetterIT.class);
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    @Test
    void failingEventIsRetriedThenParkedAndThePartitionMovesOn() {
        UUID orderId = UUID.randomUUID();
        EventEnvelope<OrderStatusChanged> poison = EventRoundTripIT.statusChange(orderId, 1);
        EventEnvelope<OrderStatusChanged> next = EventRoundTripIT.statusChange(orderId, 2);
        AtomicInteger attempts = new AtomicInteger();
        List<EventEnvelope<?>> handled = new CopyOnWriteArrayList<>();
        Disposable consumer = fixture.receiver.run(MessagingFixture.consumer("failing", Topics.ORDERS, event -> event.eventId().equals(poison.eventId())
                ? Mono.fromRunnable(attempts::incrementAndGet).then(Mono.error(new IllegalStateException("cannot handle this one")))
                : Mono.fromRunnable(() -> handled.add(event))))
                .subscribe();
        try {
            StepVerifier.create(fixture.publisher.publish(poison).then(fixture.publisher.publish(next))).verifyComplete();
            await().atMost(Duration.ofSeconds(30)).until(() -> handled.contains(next));
            assertThat(attempts).hasValue(fixture.properties.receiver().maxAttempts());

            List<ConsumerRecord<String, byte[]>> parked = fixture.readAll(Topics.deadLetter(Topics.ORDERS), 1, Duration.ofSeconds(20));
            assertThat(parked).hasSize(1);
            ConsumerRecord<String, byte[]> letter = parked.getFirst();
            assertThat(letter.key()).isEqualTo(orderId.toString());
            assertThat(header(letter, KafkaEventReceiver.DLT_REASON_HEADER)).contains("cannot handle this one");
            assertThat(header(letter, KafkaEventReceiver.DLT_ORIGIN_HEADER)).startsWith(fixture.namespace.topic(Topics.ORDERS) + "/");
            assertThat(fixture.codec.decode("OrderStatusChanged", 1, letter.value())).isEqualTo(poison);
        }
        finally {
            consumer.dispose();
        }
    }

    @Test
    void recordOfAKnownTypeThatDoesNotDecodeGoesStraightToTheDeadLetterTopic() {
        AtomicInteger handled = new AtomicInteger();
        Disposable consumer = fixture.receiver.run(MessagingFixture.consumer("poison", Topics.PAYMENTS,
                event -> Mono.fromRunnable(handled::incrementAndGet))).subscribe();
        try {
            OutgoingMessage garbage = new OutgoingMessage(Topics.PAYMENTS, "order-1",
                    Map.of(EventCodec.TYPE_HEADER, "PaymentFailed", EventCodec.VERSION_HEADER, "1"),
                    "{not json".getBytes(StandardCharsets.UTF_8));
            StepVerifier.create(fixture.publisher.send(List.of(garbage))).verifyComplete();
            List<ConsumerRecord<String, byte[]>> parked = fixture.readAll(Topics.deadLetter(Topics.PAYMENTS), 1, Duration.ofSeconds(20));
            assertThat(parked).hasSize(1);
            assertThat(header(parked.getFirst(), KafkaEventReceiver.DLT_ORIGIN_HEADER))
                    .startsWith(fixture.namespace.topic(Topics.PAYMENTS) + "/");
            assertThat(handled).hasValue(0);
        }
        finally {
            consumer.dispose();
        }
    }

    @Test
    void eventOfATypeOrVersionThisConsumerDoesNotKnowIsSkippedAndCounted() {
        UUID orderId = UUID.randomUUID();
        EventEnvelope<OrderStatusChanged> known = EventRoundTripIT.statusChange(orderId, 3);
        List<EventEnvelope<?>> handled = new CopyOnWriteArrayList<>();
        Disposable consumer = fixture.receiver.run(MessagingFixture.consumer("old-version", Topics.FULFILMENT,
                event -> Mono.fromRunnable(() -> handled.add(event)))).subscribe();
        try {
            // what a newer producer writes: a type we never heard of, and a version of a type we know
            OutgoingMessage newType = new OutgoingMessage(Topics.FULFILMENT, orderId.toString(),
                    Map.of(EventCodec.TYPE_HEADER, "ParcelTeleported", EventCodec.VERSION_HEADER, "1"),
                    "{\"type\":\"ParcelTeleported\"}".getBytes(StandardCharsets.UTF_8));
            OutgoingMessage newVersion = new OutgoingMessage(Topics.FULFILMENT, orderId.toString(),
                    Map.of(EventCodec.TYPE_HEADER, "OrderStatusChanged", EventCodec.VERSION_HEADER, "9"),
                    "{\"type\":\"OrderStatusChanged\",\"schemaVersion\":9}".getBytes(StandardCharsets.UTF_8));
            OutgoingMessage knownAfterThem = new OutgoingMessage(Topics.FULFILMENT, orderId.toString(),
                    KafkaEventPublisher.headers(known), fixture.codec.encode(known));
            StepVerifier.create(fixture.publisher.send(List.of(newType, newType, newVersion, knownAfterThem)))
                    .verifyComplete();

            await().atMost(Duration.ofSeconds(30)).until(() -> handled.contains(known));
            assertThat(handled).containsExactly(known);
            assertThat(fixture.meters.get("surge.messaging.events.ignored").tag("consumer", "old-version")
                    .tag("type", "ParcelTeleported").counter().count()).isEqualTo(2.0);
            assertThat(fixture.meters.get("surge.messaging.events.ignored").tag("consumer", "old-version")
                    .tag("type", "OrderStatusChanged").tag("version", "9").counter().count()).isEqualTo(1.0);
            assertThat(fixture.readAll(Topics.deadLetter(Topics.FULFILMENT), 1, Duration.ofSeconds(2))).isEmpty();
        }
        finally {
            consumer.dispose();
        }
    }

    @Test
    void failingDeadLetterSendIsRetriedAndCountedWhileTheOtherPartitionsFlowOn() {
        AtomicBoolean deadLetterTopicDown = new AtomicBoolean(true);
        AtomicInteger refusedSends = new AtomicInteger();
        EventPublisher flakyDeadLetters = new EventPublisher() {
            @Override
            public Mono<Void> publish(EventEnvelope<?> envelope) {
                return fixture.publisher.publish(envelope);
            }

            @Override
            public Mono<Void> send(List<OutgoingMessage> messages) {
                return Mono.defer(() -> deadLetterTopicDown.get()
                        ? Mono.fromRunnable(refusedSends::incrementAndGet).then(Mono.error(new IllegalStateException("broker refused")))
                        : fixture.publisher.send(messages));
            }
        };
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        KafkaEventReceiver receiver = new KafkaEventReceiver(fixture.properties, "messaging-test", fixture.codec,
                fixture.namespace, flakyDeadLetters, fixture.topics.ready(), meters);
        EventEnvelope<OrderStatusChanged> poison = EventRoundTripIT.statusChange(UUID.randomUUID(), 1);
        EventEnvelope<OrderStatusChanged> behindPoison = EventRoundTripIT.statusChange(UUID.randomUUID(), 1);
        List<EventEnvelope<OrderStatusChanged>> elsewhere = List.of(
                EventRoundTripIT.statusChange(UUID.randomUUID(), 1), EventRoundTripIT.statusChange(UUID.randomUUID(), 1));
        List<EventEnvelope<?>> handled = new CopyOnWriteArrayList<>();
        AtomicBoolean streamFailed = new AtomicBoolean();
        Disposable consumer = receiver.run(MessagingFixture.consumer("flaky-dlt", Topics.CARTS, event -> event.equals(poison)
                        ? Mono.error(new IllegalStateException("cannot handle this one"))
                        : Mono.fromRunnable(() -> handled.add(event))))
                .doOnError(failure -> streamFailed.set(true))
                .subscribe();
        try {
            fixture.sendTo(Topics.CARTS, 0, List.of(poison, behindPoison));
            await().atMost(Duration.ofSeconds(30)).until(() -> refusedSends.get() >= 2);

            // partition 0 waits for its dead letter; partitions 1 and 2 do not
            fixture.sendTo(Topics.CARTS, 1, List.of(elsewhere.get(0)));
            fixture.sendTo(Topics.CARTS, 2, List.of(elsewhere.get(1)));
            await().atMost(Duration.ofSeconds(30)).until(() -> handled.containsAll(elsewhere));
            assertThat(handled).doesNotContain(behindPoison);
            assertThat(streamFailed).isFalse();

            deadLetterTopicDown.set(false);
            await().atMost(Duration.ofSeconds(30)).until(() -> handled.contains(behindPoison));
            List<ConsumerRecord<String, byte[]>> parked = fixture.readAll(Topics.deadLetter(Topics.CARTS), 1, Duration.ofSeconds(20));
            assertThat(parked).hasSize(1);
            assertThat(fixture.codec.decode("OrderStatusChanged", 1, parked.getFirst().value())).isEqualTo(poison);
            assertThat(meters.get("surge.messaging.dead.letter.send.failures").counter().count())
                    .isEqualTo(refusedSends.get())
                    .isGreaterThanOrEqualTo(2.0);
            assertThat(meters.get("surge.messaging.dead.letters").counter().count()).isEqualTo(1.0);
            assertThat(streamFailed).isFalse();
        }
        finally {
            consumer.dispose();
        }
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
