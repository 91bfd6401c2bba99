package dev.surge.order.orders;

import java.util.List;
import java.util.UUID;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;

import dev.surge.order.pricing.Money;
import io.r2dbc.spi.Parameters;
import io.r2dbc.spi.R2dbcType;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The statements of the order lifecycle: each joins the caller's transaction. */
@Repository
class R2dbcOrderLifecycleRepository {

    private final DatabaseClient database;

    R2dbcOrderLifecycleRepository(DatabaseClient database) {
        this.database = database;
    }

    /** The order with its row locked until the transaction ends; empty when there is none (or it is someone else's). */
    Mono<LockedOrder> lock(UUID id, String userIdOrNull) {
        return database.sql("""
                        SELECT id, user_id, status, version, payment_attempt, total, currency, ship_to ->> 'countryCode' AS country,
                               fulfilment_progress
                        FROM orders
                        WHERE id = :id AND (CAST(:userId AS TEXT) IS NULL OR user_id = :userId) FOR UPDATE""")
                .bind("id", id)
                .bind("userId", Parameters.in(R2dbcType.VARCHAR, userIdOrNull))
                .map(row -> new LockedOrder(row.get("id", UUID.class), row.get("user_id", String.class),
                        OrderStatus.valueOf(row.get("status", String.class)), row.get("version", Long.class),
                        row.get("payment_attempt", Integer.class),
                        new Money(row.get("total", Long.class), row.get("currency", String.class)), List.of(),
                        row.get("country", String.class), fulfilment(row.get("fulfilment_progress", String.class))))
                .one()
                .flatMap(order -> lines(order.id())
                        .collectList()
                        .map(lines -> new LockedOrder(order.id(), order.userId(), order.status(), order.version(),
                                order.paymentAttempt(), order.total(), lines, order.shipToCountry(), order.fulfilment())));
    }

    private static OrderStatus fulfilment(String progress) {
        return progress == null ? null : OrderStatus.valueOf(progress);
    }

    /** Keeps the furthest fulfilment progress of the locked order; its status and version are not touched. */
    Mono<Void> recordFulfilment(UUID id, OrderStatus progress) {
        return database.sql("UPDATE orders SET fulfilment_progress = :progress WHERE id = :id")
                .bind("progress", progress.name())
                .bind("id", id)
                .then();
    }

    /** Whose order this is; empty for an unknown id. */
    Mono<String> owner(UUID id) {
        return database.sql("SELECT user_id FROM orders WHERE id = :id")
                .bind("id", id)
                .map(row -> row.get("user_id", String.class))
                .one();
    }

    private Flux<LockedOrder.Units> lines(UUID id) {
        // stock rows before sale rows, each in sku order, as checkout locks them
        return database.sql("SELECT sku, quantity, from_flash_sale FROM order_line WHERE order_id = :id ORDER BY from_flash_sale, sku")
                .bind("id", id)
                .map(row -> new LockedOrder.Units(row.get("sku", String.class), row.get("quantity", Integer.class),
                        row.get("from_flash_sale", Boolean.class)))
                .all();
    }

    /** Moves the locked order to {@code to}; emits its new version. */
    Mono<Long> move(LockedOrder order, OrderStatus to, String reason) {
        return database.sql("""
                        UPDATE orders SET status = :to, version = version + 1, updated_at = now()
                        WHERE id = :id AND version = :version
                        RETURNING version""")
                .bind("to", to.name())
                .bind("id", order.id())
                .bind("version", order.version())
                .map(row -> row.get("version", Long.class))
                .one()
                .flatMap(version -> database.sql("""
                                INSERT INTO order_status_change (order_id, version, from_status, to_status, reason)
                                VALUES (:id, :version, :from, :to, :reason)""")
                        .bind("id", order.id())
                        .bind("version", version)
                        .bind("from", order.status().name())
                        .bind("to", to.name())
                        .bind("reason", Parameters.in(R2dbcType.VARCHAR, reason))
                        .then()
                        .thenReturn(version));
    }

    /** The status of one attempt, or empty when the order has no such attempt. */
    Mono<String> attemptStatus(UUID id, int attempt) {
        return database.sql("SELECT status FROM payment_attempt WHERE order_id = :id AND attempt = :attempt")
                .bind("id", id)
                .bind("attempt", attempt)
                .map(row -> row.get("status", String.class))
                .one();
    }

    /** The attempts that charged the shopper and were not refunded or asked to be: what a cancel must pay back. */
    Flux<Integer> chargedAttempts(UUID id) {
        return database.sql("SELECT attempt FROM payment_attempt WHERE order_id = :id AND status = 'SUCCEEDED' ORDER BY attempt")
                .bind("id", id)
                .map(row -> row.get("attempt", Integer.class))
                .all();
    }

    Mono<Void> decideAttempt(UUID id, int attempt, String status, String paymentId, String failureCode) {
        return database.sql("""
                        UPDATE payment_attempt SET status = :status, payment_id = coalesce(:paymentId, payment_id),
                               failure_code = coalesce(:failureCode, failure_code), decided_at = coalesce(decided_at, now())
                        WHERE order_id = :id AND attempt = :attempt""")
                .bind("status", status)
                .bind("paymentId", Parameters.in(R2dbcType.VARCHAR, paymentId))
                .bind("failureCode", Parameters.in(R2dbcType.VARCHAR, failureCode))
                .bind("id", id)
                .bind("attempt", attempt)
                .then();
    }

    /** Starts the next payment attempt of the locked order; emits its number. */
    Mono<Integer> nextAttempt(LockedOrder order) {
        int next = order.paymentAttempt() + 1;
        return database.sql("UPDATE orders SET payment_attempt = :next WHERE id = :id")
                .bind("next", next)
                .bind("id", order.id())
                .then()
                .then(database.sql("""
                                INSERT INTO payment_attempt (order_id, attempt, amount, status) VALUES (:id, :attempt, :amount, 'REQUESTED')""")
                        .bind("id", order.id())
                        .bind("attempt", next)
                        .bind("amount", order.total().amount())
                        .then())
                .thenReturn(next);
    }

    /** Orders waiting for a payment outcome since before {@code seconds} ago, oldest first; nothing is locked. */
    Flux<UUID> overdue(double seconds, int limit) {
        return database.sql("""
                        SELECT id FROM orders
                        WHERE status = 'PENDING_PAYMENT' AND updated_at < now() - make_interval(secs => :seconds)
                        ORDER BY updated_at LIMIT :limit""")
                .bind("seconds", seconds)
                .bind("limit", limit)
                .map(row -> row.get("id", UUID.class))
                .all();
    }

    /**
     * The order with its row locked, if it is still waiting for a payment outcome since before
     * {@code seconds} ago: an outcome or a retry that came after it was listed wins. Does not wait for a
     * row another instance holds.
     */
    Mono<UUID> lockIfOverdue(UUID id, double seconds) {
        return database.sql("""
                        SELECT id FROM orders
                        WHERE id = :id AND status = 'PENDING_PAYMENT' AND updated_at < now() - make_interval(secs => :seconds)
                        FOR UPDATE SKIP LOCKED""")
                .bind("id", id)
                .bind("seconds", seconds)
                .map(row -> row.get("id", UUID.class))
                .one();
    }

    /** The next number of the order's own sequence on {@code shop.payment-requests.v1}; the row is locked already. */
    Mono<Long> nextRequestSequence(UUID id) {
        return database.sql("UPDATE orders SET request_seq = request_seq + 1 WHERE id = :id RETURNING request_seq")
                .bind("id", id)
                .map(row -> row.get("request_seq", Long.class))
                .one();
    }
}
