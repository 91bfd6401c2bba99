package dev.surge.messaging;

import java.time.OffsetDateTime;
import java.util.List;

import org.springframework.r2dbc.core.DatabaseClient;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * What ops can see and do about the outbox: how much waits, which rows are parked and why,
 * re-drive a parked row (the relay tries it again, first of its aggregate), or discard one that can
 * never be published so its aggregate's later rows flow on.
 */
class OutboxOperations {

    private final DatabaseClient database;

    OutboxOperations(DatabaseClient database) {
        this.database = database;
    }

    /** Unpublished rows: waiting for the relay (of which held behind a parked row), and parked. */
    Mono<Backlog> backlog() {
        return database.sql("""
                        SELECT (SELECT count(*) FROM outbox WHERE published_at IS NULL AND parked_at IS NULL) AS pending,
                               (SELECT count(*) FROM outbox o
                                WHERE o.published_at IS NULL AND o.parked_at IS NULL
                                  AND EXISTS (SELECT 1 FROM outbox p
                                              WHERE p.published_at IS NULL AND p.parked_at IS NOT NULL
                                                AND p.topic = o.topic AND p.aggregate_id = o.aggregate_id
                                                AND p.id < o.id)) AS held,
                               (SELECT count(*) FROM outbox WHERE published_at IS NULL AND parked_at IS NOT NULL) AS parked""")
                .map(row -> new Backlog(row.get("pending", Long.class), row.get("held", Long.class), row.get("parked", Long.class)))
                .one();
    }

    /**
     * Only the two counts the gauges show, without {@code held}: the relay loop reads them every few
     * seconds, and during an outage the backlog may be long enough for the held count to cost.
     */
    Mono<Backlog> counts() {
        return database.sql("""
                        SELECT (SELECT count(*) FROM outbox WHERE published_at IS NULL AND parked_at IS NULL) AS pending,
                               (SELECT count(*) FROM outbox WHERE published_at IS NULL AND parked_at IS NOT NULL) AS parked""")
                .map(row -> new Backlog(row.get("pending", Long.class), 0, row.get("parked", Long.class)))
                .one();
    }

    /** Parked rows, oldest first, at most {@code limit}. */
    Flux<ParkedRow> parked(int limit) {
        return database.sql("""
                        SELECT id, topic, aggregate_id, event_type, attempts, last_error, parked_at
                        FROM outbox WHERE published_at IS NULL AND parked_at IS NOT NULL
                        ORDER BY id LIMIT :limit""")
                .bind("limit", limit)
                .map(row -> new ParkedRow(
                        row.get("id", Long.class),
                        row.get("topic", String.class),
                        row.get("aggregate_id", String.class),
                        row.get("event_type", String.class),
                        row.get("attempts", Integer.class),
                        row.get("last_error", String.class),
                        row.get("parked_at", OffsetDateTime.class)))
                .all();
    }

    /** Clears one row's park; emits whether a parked row with this id existed. */
    Mono<Boolean> redrive(long id) {
        return database.sql("""
                        UPDATE outbox SET parked_at = NULL, attempts = 0
                        WHERE id = :id AND published_at IS NULL AND parked_at IS NOT NULL""")
                .bind("id", id)
                .fetch()
                .rowsUpdated()
                .map(updated -> updated == 1);
    }

    /** Clears every park; emits how many rows the relay will try again. */
    Mono<Long> redriveAll() {
        return database.sql("UPDATE outbox SET parked_at = NULL, attempts = 0 WHERE published_at IS NULL AND parked_at IS NOT NULL")
                .fetch()
                .rowsUpdated();
    }

    /**
     * Moves one parked row to {@code outbox_discarded}, in one statement: its event is never
     * published and its aggregate's later rows are released. Only a parked row, so a row the relay
     * may be sending right now is never discarded.
     */
    Mono<Boolean> discard(long id) {
        return database.sql("""
                        WITH gone AS (
                            DELETE FROM outbox WHERE id = :id AND published_at IS NULL AND parked_at IS NOT NULL
                            RETURNING id, event_id, topic, aggregate_id, event_type, schema_version, envelope,
                                      created_at, attempts, last_error, parked_at)
                        INSERT INTO outbox_discarded (id, event_id, topic, aggregate_id, event_type, schema_version, envelope,
                                                      created_at, attempts, last_error, parked_at)
                        SELECT * FROM gone""")
                .bind("id", id)
                .fetch()
                .rowsUpdated()
                .map(moved -> moved == 1);
    }

    /**
     * The outbox's unpublished rows.
     *
     * @param pending rows the relay will publish, including those held behind a parked row
     * @param held pending rows of an aggregate whose older row is parked; they wait for it
     * @param parked rows set aside because Kafka refuses them
     */
    record Backlog(long pending, long held, long parked) {
    }

    /**
     * One parked row, as ops see it.
     *
     * @param id the outbox row id, used to re-drive or discard it
     * @param topic the logical topic
     * @param aggregateId the aggregate (Kafka key) whose later rows wait behind this one
     * @param eventType the event's logical type
     * @param attempts relay passes in which this row failed
     * @param reason the last failure, as the producer reported it
     * @param parkedAt when it was parked
     */
    record ParkedRow(long id, String topic, String aggregateId, String eventType, int attempts, String reason,
            OffsetDateTime parkedAt) {
    }
}
