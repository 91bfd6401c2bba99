package dev.surge.messaging;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;

import dev.surge.events.EventCodec;
import dev.surge.events.ops.VitalSigns;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Publishes outbox rows in id order and deletes them, in the transaction that read them, once Kafka
 * has acknowledged them. Deleting rather than marking keeps the table as small as its backlog: a
 * marked row was a second version of the row with a new entry in every index, which PostgreSQL then
 * had to clean up, and every query of pending rows walked past the marked ones for a day.
 *
 * <p>Each batch runs in one transaction that first takes a PostgreSQL advisory lock, so among N
 * instances of a service exactly one relays at a time: two relays taking rows side by side (as
 * {@code SKIP LOCKED} would) could publish one aggregate's events out of order. If Kafka is down
 * the send fails, the transaction rolls back and the rows wait for the next poll. A crash between
 * the broker's acknowledgement and the commit republishes the batch: duplicates are possible and
 * the consumers' inbox makes them harmless; a lost row is not possible.
 *
 * <p>A row Kafka refuses must not hold up the service's every later event. When a batch fails, its
 * rows are sent again one at a time, each aggregate ({@code topic + aggregate_id}) in id order and
 * the aggregates side by side, to find the rows that fail: a refusal no retry can cure
 * ({@link RefusalPolicy}) parks the row at once; a retriable failure of a row while other rows were
 * published counts an attempt and parks it after {@code max-attempts}. A batch in which nothing was
 * published and nothing refused looks like an outage and rolls back as before, counting nothing.
 * The later rows of a parked row's aggregate are held back until ops re-drive or discard it
 * ({@link OutboxOperations}); other aggregates flow on.
 *
 * <p>Every batch has a time limit: a stalled send or statement fails the batch, which rolls back,
 * and the loop goes on.
 */
class OutboxRelay {

    /** Advisory lock key: "outbox" in ASCII, unique within a service's database. */
    private static final long RELAY_LOCK = 0x6f7574626f78L;

    /** How often, at most, discarded rows past their retention are deleted. */
    private static final Duration CLEANUP_INTERVAL = Duration.ofMinutes(1);

    /** How often, at most, the backlog gauges are read again when nothing was parked. */
    private static final Duration METRICS_INTERVAL = Duration.ofSeconds(5);

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

    private final DatabaseClient database;
    private final TransactionalOperator transactions;
    private final EventPublisher publisher;
    private final MessagingProperties.Relay settings;
    private final OutboxMetrics metrics;
    private final OutboxSignal signal;
    private final AtomicLong nextCleanup = new AtomicLong(System.nanoTime());
    private final AtomicLong nextMetrics = new AtomicLong(System.nanoTime());

    OutboxRelay(DatabaseClient database, TransactionalOperator transactions, EventPublisher publisher,
            MessagingProperties.Relay settings, OutboxMetrics metrics, OutboxSignal signal) {
        this.database = database;
        this.transactions = transactions;
        this.publisher = publisher;
        this.settings = settings;
        this.metrics = metrics;
        this.signal = signal;
    }

    /**
     * The endless relay loop: a full batch is followed at once by the next; otherwise it waits until
     * this instance commits outbox rows ({@link OutboxSignal}, checked every {@code wake-tick}) or a
     * poll interval has passed, whichever comes first. After a failed batch it waits the whole poll
     * interval, so an outage is not retried every tick.
     */
    Flux<Integer> run() {
        return Mono.defer(() -> {
                    long seen = signal.seen();
                    return relayBatch()
                            .onErrorResume(failure -> {
                                log.warn("Outbox relay could not publish; rows wait for the next poll: {}", failure.toString());
                                return Mono.just(-1);
                            })
                            .flatMap(published -> refreshMetricsIfDue().then(pause(published, seen)).thenReturn(published));
                })
                .repeat();
    }

    /** After a batch that published {@code published} rows (-1: failed), begun when the signal stood at {@code seen}. */
    private Mono<Void> pause(int published, long seen) {
        if (published == settings.batchSize()) {
            return Mono.empty();
        }
        return published < 0
                ? Mono.delay(settings.pollInterval()).then()
                : signal.await(seen, settings.wakeTick(), settings.pollInterval());
    }

    /**
     * Publishes one batch; emits how many rows were published (0 when another instance holds the
     * relay). Fails, and rolls back, when the batch took longer than {@code batch-timeout}.
     */
    Mono<Integer> relayBatch() {
        Mono<Integer> batch = tryLock()
                .filter(Boolean::booleanValue)
                .flatMap(locked -> pendingRows().collectList())
                .flatMap(this::publishAndMark)
                .defaultIfEmpty(0);
        // outside the transaction, so a stalled begin or commit is cut short too; cancelling rolls back
        return transactions.transactional(batch)
                .timeout(settings.batchTimeout());
    }

    private Mono<Boolean> tryLock() {
        return database.sql("SELECT pg_try_advisory_xact_lock(:key) AS locked")
                .bind("key", RELAY_LOCK)
                .map(row -> row.get("locked", Boolean.class))
                .one();
    }

    /** The oldest rows that are neither parked nor held behind an older parked row of their aggregate. */
    private Flux<PendingRow> pendingRows() {
        return database.sql("""
                        SELECT o.id, o.topic, o.aggregate_id, o.event_type, o.schema_version, o.envelope::text AS envelope
                        FROM outbox o
                        WHERE o.published_at IS NULL AND o.parked_at IS NULL
                          AND NOT EXISTS (SELECT 1 FROM outbox p
                                          WHERE p.published_at IS NULL AND p.parked_at IS NOT NULL
                                            AND p.topic = o.topic AND p.aggregate_id = o.aggregate_id AND p.id < o.id)
                        ORDER BY o.id LIMIT :limit""")
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
            return cleanupDue() ? deleteDiscardedBeforeRetention().thenReturn(0) : Mono.just(0);
        }
        // only a failed send is looked into row by row; a failed statement just rolls the batch back
        return publisher.send(rows.stream().map(PendingRow::message).toList())
                .then(Mono.fromSupplier(Optional::<Throwable>empty))
                .onErrorResume(failure -> Mono.just(Optional.of(failure)))
                .flatMap(failure -> failure.isEmpty()
                        ? deletePublished(rows)
                        : isolate(rows, failure.get()));
    }

    /** A published row is gone: Kafka holds the event now, and a rollback of this batch only sends it again. */
    private Mono<Integer> deletePublished(List<PendingRow> rows) {
        if (rows.isEmpty()) {
            return Mono.just(0);
        }
        Long[] ids = rows.stream().map(PendingRow::id).toArray(Long[]::new);
        return database.sql("DELETE FROM outbox WHERE id = ANY(:ids)")
                .bind("ids", ids)
                .fetch()
                .rowsUpdated()
                .thenReturn(rows.size());
    }

    /**
     * Sends the failed batch's rows again one at a time to find the ones that fail. Within an
     * aggregate the first failure ends the pass: its later rows stay unsent, behind it.
     */
    private Mono<Integer> isolate(List<PendingRow> rows, Throwable batchFailure) {
        log.info("Outbox batch of {} rows failed ({}); sending its rows one at a time", rows.size(), batchFailure.toString());
        Map<String, List<PendingRow>> byAggregate = new LinkedHashMap<>();
        rows.forEach(row -> byAggregate.computeIfAbsent(row.message().topic() + '\u0000' + row.message().key(),
                aggregate -> new ArrayList<>()).add(row));
        return Flux.fromIterable(byAggregate.values())
                .flatMap(this::sendOneByOne)
                .collectList()
                .flatMap(outcomes -> settle(outcomes, batchFailure));
    }

    private Flux<Outcome> sendOneByOne(List<PendingRow> aggregateRows) {
        return Flux.fromIterable(aggregateRows)
                .concatMap(row -> publisher.send(List.of(row.message()))
                        .thenReturn(new Outcome(row, null))
                        .onErrorResume(failure -> Mono.just(new Outcome(row, failure))))
                .takeUntil(outcome -> outcome.failure() != null);
    }

    private Mono<Integer> settle(List<Outcome> outcomes, Throwable batchFailure) {
        List<PendingRow> published = outcomes.stream().filter(outcome -> outcome.failure() == null).map(Outcome::row).toList();
        List<Outcome> refused = outcomes.stream()
                .filter(outcome -> outcome.failure() != null && RefusalPolicy.permanent(outcome.failure()))
                .toList();
        List<Outcome> failed = outcomes.stream()
                .filter(outcome -> outcome.failure() != null && !RefusalPolicy.permanent(outcome.failure()))
                .toList();
        if (published.isEmpty() && refused.isEmpty()) {
            // nothing got through and nothing was refused: the broker is away, not this batch's fault
            return Mono.error(batchFailure);
        }
        // a retriable failure counts against a row only when others went through meanwhile
        List<Outcome> counted = published.isEmpty() ? List.of() : failed;
        return deletePublished(published)
                .then(each(refused, this::park))
                .then(each(counted, this::countAttempt))
                .then(Mono.fromRunnable(() -> nextMetrics.set(System.nanoTime())))
                .thenReturn(published.size());
    }

    private static Mono<Void> each(List<Outcome> outcomes, BiFunction<PendingRow, Throwable, Mono<Void>> action) {
        return Flux.fromIterable(outcomes)
                .concatMap(outcome -> action.apply(outcome.row(), outcome.failure()))
                .then();
    }

    private Mono<Void> park(PendingRow row, Throwable failure) {
        String reason = RefusalPolicy.reason(failure);
        log.warn("Outbox row {} ({} {}) parked, Kafka refuses it: {}", row.id(), row.message().topic(), row.message().key(), reason);
        return database.sql("UPDATE outbox SET attempts = attempts + 1, last_error = :reason, parked_at = now() WHERE id = :id")
                .bind("reason", reason)
                .bind("id", row.id())
                .then();
    }

    private Mono<Void> countAttempt(PendingRow row, Throwable failure) {
        String reason = RefusalPolicy.reason(failure);
        return database.sql("""
                        UPDATE outbox SET attempts = attempts + 1, last_error = :reason,
                                          parked_at = CASE WHEN attempts + 1 >= :max THEN now() END
                        WHERE id = :id
                        RETURNING parked_at IS NOT NULL AS parked""")
                .bind("reason", reason)
                .bind("max", settings.maxAttempts())
                .bind("id", row.id())
                .map(result -> result.get("parked", Boolean.class))
                .one()
                .doOnNext(parked -> {
                    if (parked) {
                        log.warn("Outbox row {} ({} {}) parked after {} failed attempts: {}", row.id(), row.message().topic(),
                                row.message().key(), settings.maxAttempts(), reason);
                    }
                })
                .then();
    }

    /** An idle poll cleans up, but not every 200 ms: once per interval is plenty for a day's retention. */
    private boolean cleanupDue() {
        return due(nextCleanup, CLEANUP_INTERVAL);
    }

    private static boolean due(AtomicLong next, Duration interval) {
        long now = System.nanoTime();
        long due = next.get();
        return now - due >= 0 && next.compareAndSet(due, now + interval.toNanos());
    }

    /**
     * Discarded rows past their retention go; so do rows an instance of before deletion-on-publish
     * marked as published while it still relayed beside this one (a rolling upgrade).
     */
    private Mono<Void> deleteDiscardedBeforeRetention() {
        return database.sql("DELETE FROM outbox_discarded WHERE discarded_at < now() - make_interval(secs => :seconds)")
                .bind("seconds", (double) settings.retention().toSeconds())
                .then()
                .then(database.sql("DELETE FROM outbox WHERE published_at IS NOT NULL").then());
    }

    /** The outbox as the relay last read it (every few seconds): rows waiting and rows parked. */
    VitalSigns.Outbox backlog() {
        return new VitalSigns.Outbox(metrics.backlog(), metrics.parked());
    }

    /** Reads the backlog gauges again every few seconds, and at once after a batch that parked or counted a row. */
    private Mono<Void> refreshMetricsIfDue() {
        if (!due(nextMetrics, METRICS_INTERVAL)) {
            return Mono.empty();
        }
        // the gauges keep their last reading; the next round tries again
        return metrics.refresh()
                .onErrorResume(failure -> Mono.empty());
    }

    private record PendingRow(long id, OutgoingMessage message) {
    }

    private record Outcome(PendingRow row, Throwable failure) {
    }
}
