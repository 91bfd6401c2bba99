package dev.surge.messaging;

import java.util.UUID;
import java.util.function.Supplier;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;

import reactor.core.publisher.Mono;

/**
 * Gives each event at most one effect per consumer. The handled event id is inserted under the
 * {@code inbox} primary key in the same transaction as the effect: a redelivered (or concurrently
 * delivered) event conflicts on the insert and its effect is skipped. Insert-first, not
 * check-then-insert, so two deliveries racing each other cannot both pass.
 */
public class Inbox {

    private final DatabaseClient database;
    private final TransactionalOperator transactions;

    public Inbox(DatabaseClient database, TransactionalOperator transactions) {
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
}
