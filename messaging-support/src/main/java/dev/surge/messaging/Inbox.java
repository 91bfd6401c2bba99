package dev.surge.messaging;

import java.time.Duration;
import java.util.UUID;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Gives each event at most one effect per consumer. The handled event id is inserted under the
 * {@code inbox} primary key in the same transaction as the effect: a redelivered (or concurrently
 * delivered) event conflicts on the insert and its effect is skipped. Insert-first, not
 * check-then-insert, so two deliveries racing each other cannot both pass.
 *
 * <p>Handled ids are kept for a retention period far beyond any redelivery window, then deleted
 * by {@link #cleanup}, a chunk per statement.
 */
public class Inbox {

    private static final Logger log = LoggerFactory.getLogger(Inbox.class);

    private final DatabaseClient database;
    private final TransactionalOperator transactions;

    Inbox(DatabaseClient database, TransactionalOperator transactions) {
        this.database = database;
        this.transactions = transactions;
    }

    /**
     * Runs {@code effect} once for this consumer and event id, in one transaction with the inbox row.
     * Emits {@code true} when the effect ran, {@code false} when the event had been handled before.
     */
    public Mono<Boolean> handleOnce(String consumer, UUID eventId, Supplier<Mono<Void>> effect) {
        Mono<Boolean> once = database.sql("""
                        INSERT INTO inbox (consumer, event_id) VALUES (:consumer, :eventId)
                        ON CONFLICT DO NOTHING""")
                .bind("consumer", consumer)
                .bind("eventId", eventId)
                .fetch()
                .rowsUpdated()
                .flatMap(inserted -> inserted == 1
                        ? effect.get().thenReturn(true)
                        : Mono.just(false));
        return transactions.transactional(once);
    }

    /**
     * The clean-up loop: one round per interval (the first after one interval, not at start-up);
     * a round that fails is logged and the next one tries again. A round still running when the
     * next is due makes that one skip, so rounds never pile up.
     */
    Flux<Long> cleanup(MessagingProperties.InboxCleanup settings) {
        return Flux.interval(settings.cleanupInterval())
                .onBackpressureDrop()
                .concatMap(tick -> deleteExpired(settings.retention(), settings.cleanupBatch())
                        .onErrorResume(failure -> {
                            log.warn("Inbox clean-up failed; the next round tries again: {}", failure.toString());
                            return Mono.just(0L);
                        }), 1);
    }

    /**
     * Deletes the ids handled longer ago than {@code retention}, oldest first, at most {@code chunk}
     * per statement (each its own short transaction), until none is left; emits how many went.
     * {@code SKIP LOCKED}, so instances cleaning up side by side take different rows.
     */
    Mono<Long> deleteExpired(Duration retention, int chunk) {
        Mono<Long> oneChunk = database.sql("""
                        DELETE FROM inbox i
                        USING (SELECT consumer, event_id FROM inbox
                               WHERE handled_at < now() - make_interval(secs => :seconds)
                               ORDER BY handled_at LIMIT :chunk
                               FOR UPDATE SKIP LOCKED) expired
                        WHERE i.consumer = expired.consumer AND i.event_id = expired.event_id""")
                .bind("seconds", (double) retention.toSeconds())
                .bind("chunk", chunk)
                .fetch()
                .rowsUpdated();
        return oneChunk
                .expand(deleted -> deleted == chunk ? oneChunk : Mono.empty())
                .reduce(0L, Long::sum);
    }
}
