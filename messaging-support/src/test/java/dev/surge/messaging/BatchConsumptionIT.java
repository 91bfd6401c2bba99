package dev.surge.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
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
import reactor.core.publisher.Mono;

/** A consumer that takes batches gets the records a partition had waiting together, and a failed batch goes one by one. */
class BatchConsumptionIT {

    private static MessagingFixture fixture;

    @BeforeAll
    static void start() {
        fixture = new MessagingFixture(BatchConsumptionIT.class);
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    @Test
    void recordsThatWaitedTogetherAreHandedOverTogetherInPartitionOrder() {
        UUID orderId = UUID.randomUUID();
        List<EventEnvelope<OrderStatusChanged>> events = IntStream.rangeClosed(1, 40)
                .mapToObj(version -> EventRoundTripIT.statusChange(orderId, version))
                .toList();
        // all of them wait in the partition before the consumer starts
        fixture.sendTo(Topics.ORDERS, 0, events);
        List<Integer> batchSizes = new CopyOnWriteArrayList<>();
        List<EventEnvelope<?>> handled = new CopyOnWriteArrayList<>();
        Disposable consumer = fixture.receiver.run(MessagingFixture.batchingConsumer("batches", Topics.ORDERS, batch -> {
                    batchSizes.add(batch.size());
                    return Mono.fromRunnable(() -> handled.addAll(batch));
                }, event -> Mono.fromRunnable(() -> handled.add(event))))
                .subscribe();
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> handled.size() >= events.size());
            assertThat(handled).containsExactlyElementsOf(events);
            // the fixture's batch-size is 10
            assertThat(batchSizes).allMatch(size -> size <= 10);
            assertThat(batchSizes).anyMatch(size -> size > 1);
        }
        finally {
            consumer.dispose();
        }
    }

    @Test
    void aBatchThatFailsIsHandledAgainOneRecordAtATimeAndOnlyItsPoisonIsParked() {
        UUID orderId = UUID.randomUUID();
        List<EventEnvelope<OrderStatusChanged>> events = IntStream.rangeClosed(1, 8)
                .mapToObj(version -> EventRoundTripIT.statusChange(orderId, version))
                .toList();
        EventEnvelope<OrderStatusChanged> poison = events.get(4);
        fixture.sendTo(Topics.FULFILMENT, 0, events);
        AtomicInteger failedBatches = new AtomicInteger();
        AtomicInteger poisonAttempts = new AtomicInteger();
        List<EventEnvelope<?>> handled = new CopyOnWriteArrayList<>();
        Disposable consumer = fixture.receiver.run(MessagingFixture.batchingConsumer("failing-batches", Topics.FULFILMENT,
                        batch -> batch.contains(poison)
                                ? Mono.fromRunnable(failedBatches::incrementAndGet).then(Mono.error(new IllegalStateException("a poison in the batch")))
                                : Mono.fromRunnable(() -> handled.addAll(batch)),
                        event -> event.equals(poison)
                                ? Mono.fromRunnable(poisonAttempts::incrementAndGet).then(Mono.error(new IllegalStateException("cannot handle this one")))
                                : Mono.fromRunnable(() -> handled.add(event))))
                .subscribe();
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> handled.contains(events.getLast()));
            assertThat(handled).containsExactlyElementsOf(events.stream().filter(event -> !event.equals(poison)).toList());
            assertThat(failedBatches).hasPositiveValue();
            assertThat(poisonAttempts).hasValue(fixture.properties.receiver().maxAttempts());
            assertThat(fixture.readAll(Topics.deadLetter(Topics.FULFILMENT), 1, Duration.ofSeconds(20))).hasSize(1);
        }
        finally {
            consumer.dispose();
        }
    }
}
