package dev.surge.notify.live;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Each shopper's change feed ({@code shopper_sequence}, {@code shopper_event}): written by the order
 * consumer in the transaction of the event, read by the streams to open, resume and fill gaps. Every
 * change is also announced on the PostgreSQL channel {@value #CHANNEL}, which PostgreSQL delivers to
 * every listening instance when, and only if, the transaction commits.
 */
@Component
public class R2dbcShopperFeed {

    /** The channel every instance listens on ({@link PostgresChangeListener}). */
    static final String CHANNEL = "surge_live";

    /** PostgreSQL refuses a notification payload of 8,000 bytes or more; the envelope needs some room. */
    static final int MAX_ANNOUNCED_BODY = 7_000;

    private static final int PAGE = 500;

    private final DatabaseClient database;
    private final JsonMapper json;

    R2dbcShopperFeed(DatabaseClient database, JsonMapper json) {
        this.database = database;
        this.json = json;
    }

    /**
     * Appends a change of one of the shopper's orders, inside the caller's transaction: takes the
     * shopper's next id (locking the shopper's sequence row until commit, so ids commit in order),
     * stores the change and announces it. Call after the statement that updated the order's row.
     */
    public Mono<Void> append(String userId, OrderView order) {
        String body = json.writeValueAsString(order);
        return database.sql("""
                        WITH next AS (
                            INSERT INTO shopper_sequence (user_id, last_id) VALUES (:userId, 1)
                            ON CONFLICT (user_id) DO UPDATE SET last_id = shopper_sequence.last_id + 1
                            RETURNING last_id),
                        stored AS (
                            INSERT INTO shopper_event (user_id, id, order_id, final, body)
                            SELECT :userId, last_id, :orderId, :final, :body FROM next
                            RETURNING id)
                        SELECT pg_notify(:channel, json_build_object('u', :userId, 'i', id, 'o', :orderId, 'f', :final,
                            'b', CASE WHEN octet_length(:body) <= :maxBody THEN :body END)::text)
                        FROM stored""")
                .bind("userId", userId)
                .bind("orderId", order.orderId())
                .bind("final", order.finalStatus())
                .bind("body", body)
                .bind("channel", CHANNEL)
                .bind("maxBody", MAX_ANNOUNCED_BODY)
                .fetch()
                .rowsUpdated()
                .then();
    }

    /**
     * The shopper's orders (the newest {@code limit}, or only {@code orderId}) and the id of their latest
     * change, read in one statement so both are of the same moment: every change after that id is
     * newer than the snapshot.
     */
    Mono<Snapshot> snapshot(String userId, UUID orderId, int limit) {
        DatabaseClient.GenericExecuteSpec query = database.sql("""
                        SELECT s.last_id AS feed_position, o.*
                        FROM (SELECT coalesce(max(last_id), 0) AS last_id FROM shopper_sequence WHERE user_id = :userId) s
                        LEFT JOIN LATERAL (
                            SELECT * FROM order_status
                            WHERE user_id = :userId AND version > 0 AND (CAST(:orderId AS UUID) IS NULL OR order_id = :orderId)
                            ORDER BY placed_at DESC NULLS LAST, order_id
                            LIMIT :limit) o ON true""")
                .bind("userId", userId)
                .bind("limit", limit);
        return (orderId == null ? query.bindNull("orderId", UUID.class) : query.bind("orderId", orderId))
                .map(row -> new SnapshotRow(row.get("feed_position", Long.class),
                        row.get("order_id", UUID.class) == null ? null : OrderView.from(row)))
                .all()
                .collectList()
                .map(R2dbcShopperFeed::snapshot);
    }

    /**
     * Whether every change after {@code afterId} is still kept: {@code afterId} is the latest, or the one
     * after it is there (the clean-up deletes the oldest first, so then all later ones are too).
     */
    Mono<Boolean> replayable(String userId, long afterId) {
        return database.sql("""
                        SELECT coalesce((SELECT last_id FROM shopper_sequence WHERE user_id = :userId), 0) AS last_id,
                            EXISTS (SELECT 1 FROM shopper_event WHERE user_id = :userId AND id = :next) AS kept""")
                .bind("userId", userId)
                .bind("next", afterId + 1)
                .map(row -> {
                    long last = row.get("last_id", Long.class);
                    return afterId >= 0 && (afterId == last || afterId < last && row.get("kept", Boolean.class));
                })
                .one();
    }

    /** Every kept change of the shopper after {@code afterId}, in id order (read a page at a time). */
    Flux<LiveEvent> since(String userId, long afterId) {
        return page(userId, afterId)
                .expand(page -> page.size() == PAGE ? page(userId, page.getLast().id()) : Mono.empty())
                .flatMapIterable(page -> page);
    }

    /** Deletes changes older than {@code retention}, oldest first, {@code chunk} per statement; emits how many. */
    Mono<Long> deleteOlderThan(Duration retention, int chunk) {
        Mono<Long> oneChunk = database.sql("""
                        DELETE FROM shopper_event e
                        USING (SELECT user_id, id FROM shopper_event
                               WHERE created_at < now() - make_interval(secs => :seconds)
                               ORDER BY created_at LIMIT :chunk
                               FOR UPDATE SKIP LOCKED) expired
                        WHERE e.user_id = expired.user_id AND e.id = expired.id""")
                .bind("seconds", (double) retention.toSeconds())
                .bind("chunk", chunk)
                .fetch()
                .rowsUpdated();
        return oneChunk
                .expand(deleted -> deleted == chunk ? oneChunk : Mono.empty())
                .reduce(0L, Long::sum);
    }

    private Mono<List<LiveEvent>> page(String userId, long afterId) {
        return database.sql("""
                        SELECT id, order_id, final, body FROM shopper_event
                        WHERE user_id = :userId AND id > :afterId ORDER BY id LIMIT :page""")
                .bind("userId", userId)
                .bind("afterId", afterId)
                .bind("page", PAGE)
                .map(row -> new LiveEvent(userId, row.get("id", Long.class), row.get("order_id", UUID.class),
                        row.get("final", Boolean.class), row.get("body", String.class)))
                .all()
                .collectList();
    }

    private static Snapshot snapshot(List<SnapshotRow> rows) {
        List<OrderView> orders = new ArrayList<>(rows.size());
        rows.stream()
                .map(SnapshotRow::order)
                .filter(order -> order != null)
                .forEach(orders::add);
        return new Snapshot(rows.getFirst().position(), List.copyOf(orders));
    }

    /**
     * @param position the id of the shopper's latest change when the orders were read
     * @param orders   the orders, newest first
     */
    record Snapshot(long position, List<OrderView> orders) {
    }

    private record SnapshotRow(long position, OrderView order) {
    }
}
