package dev.surge.messaging;

import java.util.List;
import java.util.Set;

import dev.surge.events.Event;
import dev.surge.events.EventEnvelope;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A service's handler for events. Declare one as a bean: messaging-support starts a receiver for
 * it, runs {@link #handle} for each event in partition order, and commits the offset only after
 * the returned {@code Mono} completes. A failing event is retried with backoff and, after the
 * configured number of attempts, sent to {@code <topic>.dlt} so the partition moves on.
 * Delivery is at least once: make the effect idempotent, usually through {@link Inbox#handleOnce}.
 */
public interface EventConsumer {

    /** Stable name of this consumer: its consumer group ({@code <app>.<name>}) and its inbox key. */
    String name();

    /** The logical topics it reads ({@code Topics.ORDERS}, ...). */
    Set<String> topics();

    /** Runs the effect of one event. */
    Mono<Void> handle(EventEnvelope<?> event);

    /**
     * Whether the receiver may hand this consumer the records one partition has waiting, up to
     * {@code receiver.batch-size} of them, through {@link #handleBatch}: those that came while it
     * was busy, so a quiet partition still gets each record within a millisecond.
     * Off unless a consumer says so.
     */
    default boolean batches() {
        return false;
    }

    /**
     * Runs the effects of events that waited together in one partition, given in partition order.
     * The default handles each in turn; a consumer may leave out what later events of the batch
     * supersede. If the returned {@code Mono} fails, the receiver handles the same records again
     * one at a time through {@link #handle}, each with its retries and dead letter, so make the
     * effects of a batch as idempotent as those of one event (the inbox does).
     */
    default Mono<Void> handleBatch(List<EventEnvelope<?>> events) {
        return Flux.fromIterable(events).concatMap(this::handle).then();
    }
}
