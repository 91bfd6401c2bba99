package dev.surge.messaging;

import java.util.Set;

import dev.surge.events.Event;
import dev.surge.events.EventEnvelope;
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
}
