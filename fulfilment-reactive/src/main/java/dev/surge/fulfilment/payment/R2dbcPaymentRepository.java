package dev.surge.fulfilment.payment;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

import dev.surge.events.Money;
import dev.surge.fulfilment.Sql;
import dev.surge.service.web.Page;
import dev.surge.service.web.PageRequest;
import dev.surge.events.order.PaymentRequested;
import dev.surge.events.order.RefundRequested;
import io.r2dbc.spi.Readable;
import reactor.core.publisher.Mono;

/** The {@code payment} table: a row per charge or refund, written before the provider is called. */
@Component
class R2dbcPaymentRepository {

    private static final String COLUMNS = """
            id, kind, order_id, attempt, idempotency_key, amount, currency, payment_token, ship_to_country, status,
            provider_ref, failure_code, failure_message, refund_reason, provider_calls, created_at, updated_at""";

    private final DatabaseClient database;

    R2dbcPaymentRepository(DatabaseClient database) {
        this.database = database;
    }

    /** Records the charge of an attempt as {@code PENDING}, once: a second request for it changes nothing. */
    Mono<Long> recordCharge(PaymentRequested request) {
        DatabaseClient.GenericExecuteSpec insert = database.sql("""
                        INSERT INTO payment (id, kind, order_id, attempt, idempotency_key, amount, currency, payment_token,
                                             ship_to_country, status)
                        VALUES (:id, 'CHARGE', :orderId, :attempt, :key, :amount, :currency, :token, :country, 'PENDING')
                        ON CONFLICT (order_id, attempt, kind) DO NOTHING""")
                .bind("id", UUID.randomUUID())
                .bind("orderId", request.orderId())
                .bind("attempt", request.attempt())
                .bind("key", PaymentKind.CHARGE.idempotencyKey(request.orderId(), request.attempt()))
                .bind("amount", request.amount().amount())
                .bind("currency", request.amount().currency())
                .bind("token", request.paymentToken());
        return Sql.bindNullable(insert, "country", request.shipToCountry(), String.class)
                .fetch()
                .rowsUpdated();
    }

    /** Records the refund of an attempt as {@code PENDING}, once per (order, attempt). */
    Mono<Long> recordRefund(RefundRequested request) {
        return database.sql("""
                        INSERT INTO payment (id, kind, order_id, attempt, idempotency_key, amount, currency, refund_reason, status)
                        VALUES (:id, 'REFUND', :orderId, :attempt, :key, :amount, :currency, :reason, 'PENDING')
                        ON CONFLICT (order_id, attempt, kind) DO NOTHING""")
                .bind("id", UUID.randomUUID())
                .bind("orderId", request.orderId())
                .bind("attempt", request.attempt())
                .bind("key", PaymentKind.REFUND.idempotencyKey(request.orderId(), request.attempt()))
                .bind("amount", request.amount().amount())
                .bind("currency", request.amount().currency())
                .bind("reason", request.reason())
                .fetch()
                .rowsUpdated();
    }

    /**
     * Takes a {@code PENDING} operation for the provider: holds it for {@code lease} and counts the call.
     * Empty when it is settled, or another taker holds it (it finishes it, or its lease runs out and the
     * recovery poll takes it again).
     */
    Mono<Pending> take(PaymentKind kind, UUID orderId, int attempt, Duration lease) {
        return database.sql("""
                        UPDATE payment SET lease_until = now() + make_interval(secs => :lease),
                                           provider_calls = provider_calls + 1, updated_at = now()
                        WHERE order_id = :orderId AND attempt = :attempt AND kind = :kind AND status = 'PENDING'
                          AND (lease_until IS NULL OR lease_until < now())
                        RETURNING\s""" + COLUMNS)
                .bind("lease", Sql.seconds(lease))
                .bind("orderId", orderId)
                .bind("attempt", attempt)
                .bind("kind", kind.name())
                .map(R2dbcPaymentRepository::pending)
                .one();
    }

    /**
     * Takes up to {@code batch} {@code PENDING} operations nobody works on: a lease that ran out, or never
     * taken since {@code lease} ago (the instance crashed between recording and calling). {@code SKIP LOCKED},
     * so instances side by side take different rows; the lease keeps them from taking one twice.
     */
    Mono<List<Pending>> takeAbandoned(Duration lease, int batch) {
        return database.sql("""
                        UPDATE payment p SET lease_until = now() + make_interval(secs => :lease),
                                             provider_calls = provider_calls + 1, updated_at = now()
                        FROM (SELECT id FROM payment
                              WHERE status = 'PENDING'
                                AND (lease_until < now()
                                     OR lease_until IS NULL AND created_at < now() - make_interval(secs => :lease))
                              ORDER BY created_at LIMIT :batch
                              FOR UPDATE SKIP LOCKED) abandoned
                        WHERE p.id = abandoned.id
                        RETURNING\s""" + COLUMNS.replace("id, kind", "p.id, kind"))
                .bind("lease", Sql.seconds(lease))
                .bind("batch", batch)
                .map(R2dbcPaymentRepository::pending)
                .all()
                .collectList();
    }

    /**
     * Records the outcome of a {@code PENDING} operation; emits whether this call settled it. Only one
     * caller can (the status moves once), so only that one writes the outcome event.
     */
    Mono<Boolean> settle(UUID id, PaymentStatus status, String providerRef, String failureCode, String failureMessage) {
        DatabaseClient.GenericExecuteSpec update = database.sql("""
                        UPDATE payment SET status = :status, provider_ref = :ref, failure_code = :code,
                                           failure_message = :message, payment_token = NULL, lease_until = NULL,
                                           updated_at = now()
                        WHERE id = :id AND status = 'PENDING'""")
                .bind("id", id)
                .bind("status", status.name());
        update = Sql.bindNullable(update, "ref", providerRef, String.class);
        update = Sql.bindNullable(update, "code", failureCode, String.class);
        return Sql.bindNullable(update, "message", failureMessage, String.class)
                .fetch()
                .rowsUpdated()
                .map(updated -> updated == 1);
    }

    /** Gives up the lease without an outcome, so the recovery poll may take the row at once. */
    Mono<Void> release(UUID id) {
        return database.sql("UPDATE payment SET lease_until = now() WHERE id = :id AND status = 'PENDING'")
                .bind("id", id)
                .fetch()
                .rowsUpdated()
                .then();
    }

    /** The charge of an attempt, if one was requested. */
    Mono<PaymentRecord> charge(UUID orderId, int attempt) {
        return database.sql("SELECT " + COLUMNS + " FROM payment WHERE order_id = :orderId AND attempt = :attempt AND kind = 'CHARGE'")
                .bind("orderId", orderId)
                .bind("attempt", attempt)
                .map(R2dbcPaymentRepository::record)
                .one();
    }

    /** A page of the most recent operations, newest first, optionally of one status and kind. */
    Mono<Page<PaymentRecord>> recent(PaymentStatus status, PaymentKind kind, PageRequest page) {
        return Sql.page(database, COLUMNS, "payment", "created_at DESC, id",
                new Sql.Filter().equal("status", status).equal("kind", kind), page, R2dbcPaymentRepository::record);
    }

    private static Pending pending(Readable row) {
        return new Pending(record(row), row.get("payment_token", String.class));
    }

    private static PaymentRecord record(Readable row) {
        return new PaymentRecord(
                row.get("id", UUID.class),
                PaymentKind.valueOf(row.get("kind", String.class)),
                row.get("order_id", UUID.class),
                row.get("attempt", Integer.class),
                row.get("idempotency_key", String.class),
                new Money(row.get("amount", Long.class), row.get("currency", String.class)),
                row.get("ship_to_country", String.class),
                PaymentStatus.valueOf(row.get("status", String.class)),
                row.get("provider_ref", String.class),
                row.get("failure_code", String.class),
                row.get("failure_message", String.class),
                row.get("refund_reason", String.class),
                row.get("provider_calls", Integer.class),
                Sql.instant(row, "created_at"),
                Sql.instant(row, "updated_at"));
    }

    /** A taken {@code PENDING} operation, with the token a charge needs (refunds have none). */
    record Pending(PaymentRecord payment, String paymentToken) {
    }
}
