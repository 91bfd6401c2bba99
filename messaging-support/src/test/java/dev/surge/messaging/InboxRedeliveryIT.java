package dev.surge.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.surge.events.EventEnvelope;
import dev.surge.events.Topics;
import dev.surge.events.order.OrderStatusChanged;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

class InboxRedeliveryIT {

    private static MessagingFixture fixture;

    @BeforeAll
    static void start() {
        fixture = new MessagingFixture(InboxRedeliveryIT.class);
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    @Test
    void redeliveredEventHasNoSecondEffect() {
        EventEnvelope<OrderStatusChanged> event = EventRoundTripIT.statusChange(UUID.randomUUID(), 1);
        AtomicInteger deliveries = new AtomicInteger();
        Disposable consumer = fixture.receiver.run(recordingEffects("redelivery", event.eventId(), deliveries)).subscribe();
        try {
            // the relay republishes a batch after a crash between send and commit: the same event twice
            StepVerifier.create(fixture.publisher.publish(event).then(fixture.publisher.publish(event))).verifyComplete();
            await().atMost(Duration.ofSeconds(30)).until(() -> deliveries.get() == 2);
            assertThat(effectsOf(event.eventId())).isEqualTo(1);
        }
        finally {
            consumer.dispose();
        }
    }

    @Test
    void consumerRestartedBeforeCommitRedeliversWithoutSecondEffect() {
        EventEnvelope<OrderStatusChanged> event = EventRoundTripIT.statusChange(UUID.randomUUID(), 1);
        AtomicInteger deliveries = new AtomicInteger();
        // an effect that commits in the database and then "crashes" before the offset is acknowledged
        // other tests' events on the shared topic pass through; only the watched one hangs its partition
        EventConsumer crashing = MessagingFixture.consumer("restart", Topics.ORDERS, received -> fixture.inbox
                .handleOnce("restart", received.eventId(), () -> insertEffect(received.eventId()))
                .filter(ran -> received.eventId().equals(event.eventId()))
                .doOnNext(ran -> deliveries.incrementAndGet())
                .flatMap(ran -> Mono.<Boolean>never())
                .then());
        Disposable first = fixture.receiver.run(crashing).subscribe();
        StepVerifier.create(fixture.publisher.publish(event)).verifyComplete();
        await().atMost(Duration.ofSeconds(30)).until(() -> deliveries.get() == 1);
        first.dispose();

        AtomicInteger secondDeliveries = new AtomicInteger();
        Disposable second = fixture.receiver.run(recordingEffects("restart", event.eventId(), secondDeliveries)).subscribe();
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> secondDeliveries.get() >= 1);
            assertThat(effectsOf(event.eventId())).isEqualTo(1);
        }
        finally {
            second.dispose();
        }
    }

    @Test
    void concurrentDeliveriesOfOneEventApplyItOnce() {
        UUID eventId = UUID.randomUUID();
        StepVerifier.create(Flux.range(0, 8)
                        .flatMap(i -> fixture.inbox.handleOnce("concurrent", eventId, () -> insertEffect(eventId))
                                .subscribeOn(Schedulers.parallel()))
                        .filter(Boolean::booleanValue)
                        .count())
                .expectNext(1L)
                .verifyComplete();
        assertThat(effectsOf(eventId)).isEqualTo(1);
    }

    @Test
    void failedEffectLeavesNoInboxRowSoTheRetryRunsIt() {
        UUID eventId = UUID.randomUUID();
        StepVerifier.create(fixture.inbox.handleOnce("rollback", eventId,
                        () -> insertEffect(eventId).then(Mono.error(new IllegalStateException("effect failed")))))
                .verifyErrorMessage("effect failed");
        assertThat(effectsOf(eventId)).isZero();
        StepVerifier.create(fixture.inbox.handleOnce("rollback", eventId, () -> insertEffect(eventId)))
                .expectNext(true)
                .verifyComplete();
        assertThat(effectsOf(eventId)).isEqualTo(1);
    }

    /** Handles every event through the inbox; counts the deliveries of one watched event. */
    private static EventConsumer recordingEffects(String name, UUID watched, AtomicInteger deliveries) {
        return MessagingFixture.consumer(name, Topics.ORDERS, event -> fixture.inbox
                .handleOnce(name, event.eventId(), () -> insertEffect(event.eventId()))
                .filter(ran -> event.eventId().equals(watched))
                .doOnNext(ran -> deliveries.incrementAndGet())
                .then());
    }

    private static Mono<Void> insertEffect(UUID eventId) {
        return fixture.database.sql("INSERT INTO effects (event_id, note) VALUES (:id, 'handled')")
                .bind("id", eventId)
                .then();
    }

    private static long effectsOf(UUID eventId) {
        return fixture.database.sql("SELECT count(*) AS n FROM effects WHERE event_id = :id")
                .bind("id", eventId)
                .map(row -> row.get("n", Long.class))
                .one()
                .blockOptional(Duration.ofSeconds(5))
                .orElseThrow();
    }

}
