package dev.surge.messaging;

import java.util.List;

import dev.surge.events.EventEnvelope;
import reactor.core.publisher.Mono;

/**
 * Sends events to Kafka: idempotent producer, {@code acks=all}, key = aggregate id. Most services
 * never call it directly: they write to the {@link Outbox} and let the relay publish.
 */
public interface EventPublisher {

    /** Publishes one event; completes when the broker has acknowledged it. */
    Mono<Void> publish(EventEnvelope<?> envelope);

    /**
     * Publishes already-encoded messages in list order (order is kept per key); completes when all
     * are acknowledged, fails if any failed.
     */
    Mono<Void> send(List<OutgoingMessage> messages);
}
