package dev.surge.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.surge.events.EventEnvelope;
import dev.surge.events.Topics;
import dev.surge.events.order.OrderStatusChanged;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** One partition in trouble never holds the others, and a rebalance mid-stream gives no event a second effect. */
class PartitionIsolationIT {

    private static MessagingFixture fixture;

    @BeforeAll
    static void start() {
        fixture = new MessagingFixture(PartitionIsolationIT.class);
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    @Test
    void aPartitionWhoseHandlerHangsDoesNotStallTheOtherPartitions() {
        // more records behind the hanging one than any shared prefetch (256 in groupBy/flatMap) holds
        List<EventEnvelope<OrderStatusChanged>> stuck = events(300);
        List<EventEnvelope<OrderStatusChanged>> healthy = events(20);
        Set<UUID> stuckIds = ConcurrentHashMap.newKeySet();
        stuck.forEach(event -> stuckIds.add(event.eventId()));
        AtomicInteger stuckAttempts = new AtomicInteger();
        List<EventEnvelope<?>> handled = new CopyOnWriteArrayList<>();
        // every attempt on partition 0 hangs until the handler timeout: ~2 s per record, ~10 min for all of them
        KafkaEventReceiver receiver = fixture.receiver(fixture.withReceiver(new MessagingProperties.Receiver(
                2, Duration.ofSeconds(1), Duration.ofMillis(20), Duration.ofMillis(50), Duration.ofMillis(50),
                20, Duration.ofSeconds(10), Duration.ofSeconds(30), 1)));
        Disposable consumer = receiver.run(MessagingFixture.consumer("isolated", Topics.INVENTORY, event -> stuckIds.contains(event.eventId())
                        ? Mono.fromRunnable(stuckAttempts::incrementAndGet).then(Mono.never())
                        : Mono.fromRunnable(() -> handled.add(event))))
                .subscribe();
        try {
            fixture.sendTo(Topics.INVENTORY, 0, stuck);
            await().atMost(Duration.ofSeconds(30)).until(() -> stuckAttempts.get() >= 1);

            int stuckBefore = stuckAttempts.get();
            fixture.sendTo(Topics.INVENTORY, 1, healthy.subList(0, 10));
            fixture.sendTo(Topics.INVENTORY, 2, healthy.subList(10, 20));
            await().atMost(Duration.ofSeconds(15)).until(() -> handled.containsAll(healthy));
            // meanwhile the hanging partition went on by a few records at most: the others never waited for it
            assertThat(stuckAttempts.get() - stuckBefore).isLessThan(10);
            assertThat(handled).doesNotContainAnyElementsOf(stuck);
        }
        finally {
            consumer.dispose();
        }
    }

    @Test
    void aRebalanceMidStreamGivesNoEventASecondEffect() {
        // ~300 per partition at 30 ms each: more than the first instance buffers and fetches (partition-buffer
        // and max.poll.records, 100 each), so work is left for the second once the rebalance has moved
        // partitions; records the first has buffered are still its own to finish
        List<EventEnvelope<OrderStatusChanged>> sent = events(900);
        AtomicInteger handledByFirst = new AtomicInteger();
        AtomicInteger handledBySecond = new AtomicInteger();
        StepVerifier.create(Flux.fromIterable(sent).concatMap(fixture.publisher::publish).then()).verifyComplete();

        Disposable first = fixture.receiver.run(slowThroughInbox(handledByFirst)).subscribe();
        Disposable second = null;
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> effectsOf(sent) >= 40);
            // a second instance joins while the first is handling: the group rebalances mid-stream
            second = fixture.receiver.run(slowThroughInbox(handledBySecond)).subscribe();
            await().atMost(Duration.ofSeconds(30)).until(() -> handledBySecond.get() >= 10);
            // and the first one leaves before it is done: its partitions move, uncommitted records come again
            first.dispose();

            await().atMost(Duration.ofSeconds(60)).until(() -> effectsPerEvent(sent).size() == sent.size());
            Map<UUID, Long> effects = effectsPerEvent(sent);
            assertThat(effects).hasSize(sent.size());
            assertThat(effects).allSatisfy((eventId, count) -> assertThat(count).as("effects of %s", eventId).isEqualTo(1L));
            assertThat(handledByFirst.get()).isLessThan(sent.size());
        }
        finally {
            first.dispose();
            if (second != null) {
                second.dispose();
            }
        }
    }

    /** One instance of the consumer group: each event through the inbox, slowly enough to be caught mid-stream. */
    private static EventConsumer slowThroughInbox(AtomicInteger handled) {
        return MessagingFixture.consumer("rebalanced", Topics.ORDERS, event -> Mono
                .delay(Duration.ofMillis(30))
                .then(fixture.inbox.handleOnce("rebalanced", event.eventId(), () -> insertEffect(event.eventId())))
                .doOnNext(ran -> handled.incrementAndGet())
                .then());
    }

    private static List<EventEnvelope<OrderStatusChanged>> events(int count) {
        return IntStream.range(0, count)
                .mapToObj(i -> EventRoundTripIT.statusChange(UUID.randomUUID(), 1))
                .toList();
    }

    private static Mono<Void> insertEffect(UUID eventId) {
        return fixture.database.sql("INSERT INTO effects (event_id, note) VALUES (:id, 'handled')")
                .bind("id", eventId)
                .then();
    }

    private static long effectsOf(List<EventEnvelope<OrderStatusChanged>> events) {
        return effectsPerEvent(events).values().stream().mapToLong(Long::longValue).sum();
    }

    private static Map<UUID, Long> effectsPerEvent(List<EventEnvelope<OrderStatusChanged>> events) {
        UUID[] ids = events.stream().map(EventEnvelope::eventId).toArray(UUID[]::new);
        Map<UUID, Long> effects = new ConcurrentHashMap<>();
        fixture.database.sql("SELECT event_id, count(*) AS n FROM effects WHERE event_id = ANY(:ids) GROUP BY event_id")
                .bind("ids", ids)
                .map(row -> Map.entry(row.get("event_id", UUID.class), row.get("n", Long.class)))
                .all()
                .doOnNext(entry -> effects.put(entry.getKey(), entry.getValue()))
                .then()
                .block(Duration.ofSeconds(5));
        return effects;
    }
}
