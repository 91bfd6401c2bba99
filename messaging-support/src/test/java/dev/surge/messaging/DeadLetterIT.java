package dev.surge.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.surge.events.EventCodec;
import dev.surge.events.EventEnvelope;
import dev.surge.events.Topics;
import dev.surge.events.order.OrderStatusChanged;
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
    void undecodableRecordGoesStraightToTheDeadLetterTopic() {
        AtomicInteger handled = new AtomicInteger();
        Disposable consumer = fixture.receiver.run(MessagingFixture.consumer("poison", Topics.PAYMENTS,
                event -> Mono.fromRunnable(handled::incrementAndGet))).subscribe();
        try {
            OutgoingMessage garbage = new OutgoingMessage(Topics.PAYMENTS, "order-1",
                    Map.of(EventCodec.TYPE_HEADER, "NoSuchEvent", EventCodec.VERSION_HEADER, "1"),
                    "{not json".getBytes(StandardCharsets.UTF_8));
            StepVerifier.create(fixture.publisher.send(List.of(garbage))).verifyComplete();
            List<ConsumerRecord<String, byte[]>> parked = fixture.readAll(Topics.deadLetter(Topics.PAYMENTS), 1, Duration.ofSeconds(20));
            assertThat(parked).hasSize(1);
            assertThat(header(parked.getFirst(), KafkaEventReceiver.DLT_REASON_HEADER)).contains("NoSuchEvent");
            assertThat(handled).hasValue(0);
        }
        finally {
            consumer.dispose();
        }
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
