package dev.surge.notify.orders;

import java.time.Instant;
import java.util.UUID;
import java.util.function.UnaryOperator;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

import dev.surge.events.Money;
import reactor.core.publisher.Mono;

/**
 * The order read model ({@code order_status}), written inside the consumer's transaction. Every
 * change first makes sure the order's row exists, then updates it: the update locks the row, so the
 * orders consumer and the payments/fulfilment one, which may handle the same order at the same
 * moment, queue on it, and the second sees what the first wrote (the shipped mail, written by
 * whichever of status and tracking number comes second, relies on it).
 */
@Component
class R2dbcOrderReadModel {

    private final DatabaseClient database;

    R2dbcOrderReadModel(DatabaseClient database) {
        this.database = database;
    }

    /**
     * The facts of {@code OrderPlaced} (address, total, time) are kept whatever the version; its status
     * only when newer than the one held. Emits the order when the status was taken, else nothing.
     */
    Mono<OrderSnapshot> placed(UUID orderId, String userId, String email, Money total, long version, UUID eventId,
            Instant at) {
        Mono<Long> facts = nullable(database.sql("""
                        UPDATE order_status SET email = :email, total_amount = :total, currency = :currency,
                            placed_at = :at, updated_at = now()
                        WHERE order_id = :orderId""")
                .bind("orderId", orderId)
                .bind("total", total.amount())
                .bind("currency", total.currency())
                .bind("at", at), "email", email)
                .fetch()
                .rowsUpdated();
        return exists(orderId)
                .then(facts)
                .then(status(orderId, userId, "PENDING_PAYMENT", null, version, eventId, at));
    }

    /**
     * A status from {@code shop.orders.v1}, taken only when its version is newer than the one held
     * (stale and repeated ones change nothing); emits the order when it was taken.
     */
    Mono<OrderSnapshot> status(UUID orderId, String userId, String status, String reason, long version, UUID eventId,
            Instant at) {
        return exists(orderId)
                .then(nullable(database.sql("""
                                UPDATE order_status SET user_id = :userId, status = :status, version = :version,
                                    status_reason = :reason, status_changed_at = :at, status_event_id = :eventId,
                                    confirmed_at = CASE WHEN :status = 'CONFIRMED' THEN :at ELSE confirmed_at END,
                                    allocated_at = CASE WHEN :status = 'ALLOCATED' THEN :at ELSE allocated_at END,
                                    shipped_event_id = CASE WHEN :status = 'SHIPPED' THEN :eventId ELSE shipped_event_id END,
                                    delivered_at = CASE WHEN :status = 'DELIVERED' THEN :at ELSE delivered_at END,
                                    cancelled_at = CASE WHEN :status = 'CANCELLED' THEN :at ELSE cancelled_at END,
                                    payment_failed_at = CASE WHEN :status = 'PAYMENT_FAILED' THEN :at ELSE payment_failed_at END,
                                    payment_failure_reason = CASE WHEN :status = 'PAYMENT_FAILED'
                                        THEN coalesce(:reason, payment_failure_reason) ELSE payment_failure_reason END,
                                    updated_at = now()
                                WHERE order_id = :orderId AND version < :version
                                RETURNING *""")
                        .bind("orderId", orderId)
                        .bind("userId", userId)
                        .bind("status", status)
                        .bind("version", version)
                        .bind("eventId", eventId)
                        .bind("at", at), "reason", reason)
                        .map(OrderSnapshot::from)
                        .one());
    }

    /** fulfilment's reason for a failed attempt (cart-order's status change carries the code too). */
    Mono<OrderSnapshot> paymentFailed(UUID orderId, String reasonCode, String message, Instant at) {
        return detail(orderId, """
                UPDATE order_status SET payment_failure_reason = :reason, payment_failure_message = :message,
                    payment_failed_at = :at, updated_at = now()
                WHERE order_id = :orderId RETURNING *""", spec -> nullable(spec
                .bind("reason", reasonCode)
                .bind("at", at), "message", message));
    }

    Mono<OrderSnapshot> shipped(UUID orderId, String carrier, String trackingNumber, Instant at) {
        return detail(orderId, """
                UPDATE order_status SET carrier = :carrier, tracking_number = :tracking, shipped_at = :at, updated_at = now()
                WHERE order_id = :orderId RETURNING *""", spec -> spec
                .bind("carrier", carrier)
                .bind("tracking", trackingNumber)
                .bind("at", at));
    }

    /** A refund; its event id is kept until {@link #refundMailed} (the address may not be known yet). */
    Mono<OrderSnapshot> refunded(UUID orderId, Money amount, UUID eventId, Instant at) {
        return detail(orderId, """
                UPDATE order_status SET refunded_amount = :amount, refund_currency = :currency, refunded_at = :at,
                    refund_event_id = :eventId, updated_at = now()
                WHERE order_id = :orderId RETURNING *""", spec -> spec
                .bind("amount", amount.amount())
                .bind("currency", amount.currency())
                .bind("eventId", eventId)
                .bind("at", at));
    }

    Mono<Void> refundMailed(UUID orderId) {
        return database.sql("UPDATE order_status SET refund_event_id = NULL WHERE order_id = :orderId")
                .bind("orderId", orderId)
                .fetch()
                .rowsUpdated()
                .then();
    }

    private Mono<OrderSnapshot> detail(UUID orderId, String sql,
            UnaryOperator<DatabaseClient.GenericExecuteSpec> binds) {
        return exists(orderId)
                .then(binds.apply(database.sql(sql).bind("orderId", orderId))
                        .map(OrderSnapshot::from)
                        .one());
    }

    /** A detail may come before the order's first event: the row then starts with version 0 and no status. */
    private Mono<Void> exists(UUID orderId) {
        return database.sql("INSERT INTO order_status (order_id) VALUES (:orderId) ON CONFLICT DO NOTHING")
                .bind("orderId", orderId)
                .fetch()
                .rowsUpdated()
                .then();
    }

    private static DatabaseClient.GenericExecuteSpec nullable(DatabaseClient.GenericExecuteSpec spec, String name,
            String value) {
        return value == null ? spec.bindNull(name, String.class) : spec.bind(name, value);
    }
}
