package dev.surge.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

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

class EventRoundTripIT {

    private static MessagingFixture fixture;

    @BeforeAll
    static void start() {
        fixture = new MessagingFixture(EventRoundTripIT.class);
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    @Test
    void publishedEventReachesConsumerWithItsEnvelopeIntact() {
        EventEnvelope<OrderStatusChanged> sent = statusChange(UUID.randomUUID(), 2);
        List<EventEnvelope<?>> received = new CopyOnWriteArrayList<>();
        Disposable consumer = fixture.receiver.run(collecting("round-trip", received)).subscribe();
        try {
            StepVerifier.create(fixture.publisher.publish(sent)).verifyComplete();
            await().atMost(Duration.ofSeconds(30)).until(() -> received.contains(sent));
            assertThat(received.stream().filter(event -> event.aggregateId().equals(sent.aggregateId())))
                    .containsExactly(sent);
        }
        finally {
            consumer.dispose();
        }
    }

    @Test
    void recordCarriesAggregateKeyAndLogicalTypeHeaders() {
        UUID orderId = UUID.randomUUID();
        StepVerifier.create(fixture.publisher.publish(statusChange(orderId, 1))).verifyComplete();
        List<ConsumerRecord<String, byte[]>> records = fixture.readAll(Topics.ORDERS,
                record -> record.key().equals(orderId.toString()), 1, Duration.ofSeconds(20));
        assertThat(records).hasSize(1);
        assertThat(new String(records.getFirst().headers().lastHeader(EventCodec.TYPE_HEADER).value()))
                .isEqualTo("OrderStatusChanged");
        assertThat(new String(records.getFirst().headers().lastHeader(EventCodec.VERSION_HEADER).value()))
                .isEqualTo("1");
    }

    @Test
    void eventsOfOneAggregateArriveInTheOrderTheyWerePublished() {
        UUID orderId = UUID.randomUUID();
        List<EventEnvelope<?>> received = new CopyOnWriteArrayList<>();
        Disposable consumer = fixture.receiver.run(collecting("ordering", received)).subscribe();
        try {
            List<EventEnvelope<OrderStatusChanged>> sent = java.util.stream.LongStream.rangeClosed(1, 20)
                    .mapToObj(version -> statusChange(orderId, version))
                    .toList();
            StepVerifier.create(fixture.publisher.send(sent.stream().map(fixture.publisher::encode).toList()))
                    .verifyComplete();
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> received.stream().filter(e -> e.aggregateId().equals(orderId.toString())).count() == 20);
            assertThat(received.stream().filter(e -> e.aggregateId().equals(orderId.toString()))
                    .map(EventEnvelope::aggregateVersion))
                    .containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L, 13L, 14L, 15L, 16L, 17L, 18L, 19L, 20L);
        }
        finally {
            consumer.dispose();
        }
    }

    static EventEnvelope<OrderStatusChanged> statusChange(UUID orderId, long version) {
        return EventEnvelope.of(orderId.toString(), version,
                new OrderStatusChanged(orderId, "alice", "PENDING_PAYMENT", "CONFIRMED", "payment accepted"));
    }

    static EventConsumer collecting(String name, List<EventEnvelope<?>> into) {
        return MessagingFixture.consumer(name, Topics.ORDERS, event -> Mono.fromRunnable(() -> into.add(event)));
    }
}
