package dev.surge.order.orders;

import java.time.Duration;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;

import dev.surge.messaging.StreamLifecycle;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Fails orders whose payment outcome did not arrive within the payment timeout ({@code PAYMENT_TIMEOUT},
 * stock back). Every instance sweeps: it lists the overdue orders, then fails each in a transaction of
 * its own that locks it with {@code SKIP LOCKED} and checks again that it is still overdue, so an
 * outcome or a retry that arrived meanwhile wins and two instances never fail one order twice. The
 * same clock deletes {@code Idempotency-Key} records past their retention.
 */
@Configuration(proxyBeanMethods = false)
class UnpaidOrderSweep {

    @Bean
    SmartInitializingSingleton sweepUnpaidOrders(StreamLifecycle streams, OrderLifecycle lifecycle,
            TransactionalOperator transactions, OrderProperties properties, DatabaseClient database) {
        return () -> {
            streams.register("unpaid order sweep", () -> Flux.interval(properties.sweepInterval())
                    .onBackpressureDrop()
                    .concatMap(tick -> sweep(lifecycle, transactions, properties), 1));
            streams.register("idempotency key cleanup", () -> Flux.interval(properties.sweepInterval())
                    .onBackpressureDrop()
                    .concatMap(tick -> deleteOldKeys(database, properties.idempotencyRetention()), 1));
        };
    }

    /** Deletes keys past their retention, oldest first, a bounded number per round so no delete runs long. */
    static Mono<Long> deleteOldKeys(DatabaseClient database, Duration retention) {
        return database.sql("""
                        DELETE FROM idempotency_key WHERE ctid IN (
                            SELECT ctid FROM idempotency_key
                            WHERE created_at < now() - make_interval(secs => :seconds)
                            ORDER BY created_at LIMIT 5000)""")
                .bind("seconds", (double) retention.toSeconds())
                .fetch()
                .rowsUpdated();
    }

    static Mono<Long> sweep(OrderLifecycle lifecycle, TransactionalOperator transactions, OrderProperties properties) {
        Duration timeout = properties.paymentTimeout();
        // one short transaction per order: a hot sku's stock row is never held across a whole batch, and
        // each order's stock rows are locked in sku order like every other order's
        return lifecycle.overdue(timeout, properties.sweepBatch())
                .flatMapMany(Flux::fromIterable)
                .concatMap(id -> transactions.transactional(lifecycle.expire(id, timeout)).thenReturn(id))
                .count();
    }
}
