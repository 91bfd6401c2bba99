package dev.surge.messaging;

import java.nio.charset.StandardCharsets;

import org.springframework.r2dbc.core.DatabaseClient;

import dev.surge.events.EventCodec;
import dev.surge.events.EventEnvelope;
import dev.surge.events.EventTypes;
import reactor.core.publisher.Mono;

/**
 * Writes events to the {@code outbox} table. Call it inside the transaction that changes the state
 * the event announces: both commit or neither does, and the {@link OutboxRelay} publishes the row
 * later, so a Kafka outage never loses an event.
 *
 * <p>Order: the relay publishes in row id order, and ids are taken at insert, not at commit. Append
 * after the statement that updates (and so locks) the aggregate's row: a second transaction on the
 * same aggregate then waits for the first to commit before it can append, and one aggregate's events
 * are published in the order its versions were written.
 */
public class Outbox {

    private final DatabaseClient database;
    private final EventCodec codec;

    Outbox(DatabaseClient database, EventCodec codec) {
        this.database = database;
        this.codec = codec;
    }

    /** Appends one event; joins the caller's transaction when there is one. */
    public Mono<Void> append(EventEnvelope<?> envelope) {
        return Mono.defer(() -> insert(envelope, EventTypes.of(envelope.payload().getClass())));
    }

    private Mono<Void> insert(EventEnvelope<?> envelope, EventTypes.EventType type) {
        return database.sql("""
                        INSERT INTO outbox (event_id, topic, aggregate_id, event_type, schema_version, envelope)
                        VALUES (:eventId, :topic, :aggregateId, :type, :version, CAST(:envelope AS JSONB))""")
                .bind("eventId", envelope.eventId())
                .bind("topic", type.topic())
                .bind("aggregateId", envelope.aggregateId())
                .bind("type", envelope.type())
                .bind("version", envelope.schemaVersion())
                .bind("envelope", new String(codec.encode(envelope), StandardCharsets.UTF_8))
                .then();
    }
}
