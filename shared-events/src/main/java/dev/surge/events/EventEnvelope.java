package dev.surge.events;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.UUID;

/**
 * What travels on a topic: the event payload plus the metadata every consumer needs to
 * deduplicate ({@code eventId}), drop stale events ({@code aggregateVersion}) and trace.
 *
 * @param eventId          unique id of this event; consumers record it to ignore redeliveries
 * @param type             logical type name from {@link EventTypes}, e.g. {@code OrderPlaced}; never a Java class name
 * @param schemaVersion    version of the payload schema for {@code type}, starting at 1
 * @param occurredAt       when the fact happened (UTC instant, ISO-8601 on the wire)
 * @param aggregateId      id of the aggregate the event belongs to (order id, sku, user id); also the Kafka record key
 * @param aggregateVersion version of the aggregate after this event; higher is newer, consumers drop lower or equal ones
 * @param trace            trace context of the producing operation; {@link TraceContext#NONE} when there is none
 * @param payload          the event itself
 * @param <E>              the payload type
 */
public record EventEnvelope<E extends Event>(
        UUID eventId,
        String type,
        int schemaVersion,
        Instant occurredAt,
        String aggregateId,
        long aggregateVersion,
        TraceContext trace,
        E payload) {

    public EventEnvelope {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(aggregateId, "aggregateId");
        Objects.requireNonNull(payload, "payload");
        if (schemaVersion < 1) {
            throw new IllegalArgumentException("schemaVersion must be at least 1: " + schemaVersion);
        }
        if (trace == null) {
            trace = TraceContext.NONE;
        }
    }

    /**
     * Wraps a payload in a new envelope: a random event id, the current instant (to the
     * microsecond), and the type name and schema version registered for the payload's class.
     *
     * @throws IllegalArgumentException if the payload's class is not registered in {@link EventTypes}
     */
    public static <E extends Event> EventEnvelope<E> of(String aggregateId, long aggregateVersion, E payload) {
        EventTypes.EventType type = EventTypes.of(payload.getClass());
        // PostgreSQL keeps microseconds; a finer instant would not survive an outbox or inbox round trip.
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return new EventEnvelope<>(UUID.randomUUID(), type.name(), type.version(), now,
                aggregateId, aggregateVersion, TraceContext.NONE, payload);
    }

    /** This envelope with the given trace context. */
    public EventEnvelope<E> withTrace(TraceContext trace) {
        return new EventEnvelope<>(eventId, type, schemaVersion, occurredAt, aggregateId, aggregateVersion, trace, payload);
    }
}
