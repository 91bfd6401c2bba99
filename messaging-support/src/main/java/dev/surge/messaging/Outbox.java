package dev.surge.messaging;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

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
    private final OutboxSignal signal;

    Outbox(DatabaseClient database, EventCodec codec, OutboxSignal signal) {
        this.database = database;
        this.codec = codec;
        this.signal = signal;
    }

    /**
     * Appends one event; joins the caller's transaction when there is one. The relay is woken when
     * that transaction commits (at once when there is none), so the event goes out within milliseconds.
     */
    public Mono<Void> append(EventEnvelope<?> envelope) {
        return Mono.defer(() -> insert(envelope, EventTypes.of(envelope.payload().getClass())))
                .then(signal.afterCommit());
    }

    /**
     * For a caller that wrote {@link Rows} in its own statement: call it after that statement, in the
     * same transaction if there is one, to wake the relay when the rows are committed. Without it the
     * rows still go out, at the relay's next poll.
     */
    public Mono<Void> written() {
        return signal.afterCommit();
    }

    /**
     * The outbox's columns and the {@code SELECT} of {@link Rows}' arrays that fills them, for a
     * caller that writes its events in the same statement as its state: {@code INSERT INTO outbox }
     * {@value #COLUMNS} {@code SELECT ... FROM } {@link #unnest(String)}, with the arrays bound under
     * the names {@link Rows#bind} gives them. The same rules apply as to {@link #append}.
     */
    public static final String COLUMNS = "(event_id, topic, aggregate_id, event_type, schema_version, envelope)";

    /**
     * {@code unnest(...) AS <alias>(event_id, topic, aggregate_id, event_type, schema_version, envelope)}
     * over the arrays {@link Rows#bind} binds under {@code <alias>}-prefixed names; {@code envelope} is text.
     */
    public static String unnest(String alias) {
        return "unnest(:" + alias + "EventIds::uuid[], :" + alias + "Topics::text[], :" + alias + "AggregateIds::text[], :"
                + alias + "Types::text[], :" + alias + "Versions::int[], :" + alias + "Envelopes::text[]) AS " + alias
                + "(event_id, topic, aggregate_id, event_type, schema_version, envelope)";
    }

    /** The rows of these events, encoded as {@link #append} would write them. */
    public Rows rows(List<? extends EventEnvelope<?>> envelopes) {
        int n = envelopes.size();
        Rows rows = new Rows(new UUID[n], new String[n], new String[n], new String[n], new Integer[n], new String[n]);
        for (int i = 0; i < n; i++) {
            EventEnvelope<?> envelope = envelopes.get(i);
            rows.eventIds[i] = envelope.eventId();
            rows.topics[i] = EventTypes.of(envelope.payload().getClass()).topic();
            rows.aggregateIds[i] = envelope.aggregateId();
            rows.types[i] = envelope.type();
            rows.versions[i] = envelope.schemaVersion();
            rows.envelopes[i] = new String(codec.encode(envelope), StandardCharsets.UTF_8);
        }
        return rows;
    }

    /** Outbox rows as column arrays, bound into a caller's statement. */
    public record Rows(UUID[] eventIds, String[] topics, String[] aggregateIds, String[] types, Integer[] versions,
            String[] envelopes) {

        /** Binds the arrays under the names {@link Outbox#unnest(String)} reads for {@code alias}. */
        public DatabaseClient.GenericExecuteSpec bind(DatabaseClient.GenericExecuteSpec spec, String alias) {
            return spec.bind(alias + "EventIds", eventIds)
                    .bind(alias + "Topics", topics)
                    .bind(alias + "AggregateIds", aggregateIds)
                    .bind(alias + "Types", types)
                    .bind(alias + "Versions", versions)
                    .bind(alias + "Envelopes", envelopes);
        }
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
