package dev.surge.messaging;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;

import dev.surge.events.EventCodec;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Publishes unpublished outbox rows in id order and marks them sent.
 *
 * <p>Each batch runs in one transaction that first takes a PostgreSQL advisory lock, so among N
 * instances of a service exactly one relays at a time: two relays taking rows side by side (as
 * {@code SKIP LOCKED} would) could publish one aggregate's events out of order. If Kafka is down
 * the send fails, the transaction rolls back and the rows wait for the next poll. A crash between
 * the broker's acknowledgement and the commit republishes the batch: duplicates are possible and
 * the consumers' inbox makes them harmless; a lost row is not possible.
 */
public class OutboxRelay {

    /** Advisory lock key: "outbox" in ASCII, unique within a service's database. */
    private static final long RELAY_LOCK = 0x6f7574626f78L;

    /** How often, at most, published rows past their retention are deleted. */
    private static final Duration CLEANUP_INTERVAL = Duration.ofMinutes(1);

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

    private final DatabaseClient database;
    private final TransactionalOperator transactions;
    private final EventPublisher publisher;
    private final MessagingProperties.Relay settings;
    private final AtomicLong nextCleanup = new AtomicLong(System.nanoTime());

    public OutboxRelay(DatabaseClient database, TransactionalOperator transactions, EventPublisher publisher,
            MessagingProperties.Relay settings) {
        this.database = database;
        this.transactions = transactions;
        this.publisher = publisher;
        this.settings = settings;
    }

    /** The endless relay loop: a full batch is followed at once by the next, otherwise it waits a poll interval. */
    public Flux<Integer> run() {
        return Mono.defer(this::relayBatch)
                .onErrorResume(failure -> {
                    log.warn("Outbox relay could not publish; rows wait for the next poll: {}", failure.toString());
                    return Mono.just(-1);
                })
                .flatMap(published -> published == settings.batchSize()
                        ? Mono.just(published)
                        : Mono.delay(settings.pollInterval()).thenReturn(published))
                .repeat();
    }

    /** Publishes one batch; emits how many rows were published (0 when another instance holds the relay). */
    public Mono<Integer> relayBatch() {
        Mono<Integer> batch = tryLock()
                .filter(Boolean::booleanValue)
                .flatMap(locked -> pendingRows().collectList())
                .flatMap(this::publishAndMark)
                .defaultIfEmpty(0);
        return transactions.transactional(batch);
    }

    private Mono<Boolean> tryLock() {
        return database.sql("SELECT pg_try_advisory_xact_lock(:key) AS locked")
                .bind("key", RELAY_LOCK)
                .map(row -> row.get("locked", Boolean.class))
                .one();
    }

    private Flux<PendingRow> pendingRows() {
        return database.sql("""
                        SELECT id, topic, aggregate_id, event_type, schema_version, envelope::text AS envelope
                        FROM outbox WHERE published_at IS NULL ORDER BY id LIMIT :limit""")
                .bind("limit", settings.batchSize())
                .map(row -> new PendingRow(
                        row.get("id", Long.class),
                        new OutgoingMessage(
                                row.get("topic", String.class),
                                row.get("aggregate_id", String.class),
                                Map.of(
                                        EventCodec.TYPE_HEADER, row.get("event_type", String.class),
                                        EventCodec.VERSION_HEADER, String.valueOf(row.get("schema_version", Integer.class)),
                                        EventCodec.CONTENT_TYPE_HEADER, "application/json"),
                                row.get("envelope", String.class).getBytes(StandardCharsets.UTF_8))))
                .all();
    }

    private Mono<Integer> publishAndMark(List<PendingRow> rows) {
        if (rows.isEmpty()) {
            return cleanupDue() ? deletePublishedBeforeRetention().thenReturn(0) : Mono.just(0);
        }
        Long[] ids = rows.stream().map(PendingRow::id).toArray(Long[]::new);
        return publisher.send(rows.stream().map(PendingRow::message).toList())
                .then(database.sql("UPDATE outbox SET published_at = now() WHERE id = ANY(:ids)")
                        .bind("ids", ids)
                        .fetch()
                        .rowsUpdated())
                .thenReturn(rows.size());
    }

    /** An idle poll cleans up, but not every 200 ms: once per interval is plenty for a day's retention. */
    private boolean cleanupDue() {
        long now = System.nanoTime();
        long due = nextCleanup.get();
        return now - due >= 0 && nextCleanup.compareAndSet(due, now + CLEANUP_INTERVAL.toNanos());
    }

    private Mono<Long> deletePublishedBeforeRetention() {
        return database.sql("DELETE FROM outbox WHERE published_at < now() - make_interval(secs => :seconds)")
                .bind("seconds", (double) settings.retention().toSeconds())
                .fetch()
                .rowsUpdated();
    }

    private record PendingRow(long id, OutgoingMessage message) {
    }
}
