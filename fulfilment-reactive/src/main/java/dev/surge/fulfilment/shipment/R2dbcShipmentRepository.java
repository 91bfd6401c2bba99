package dev.surge.fulfilment.shipment;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

import dev.surge.fulfilment.Sql;
import dev.surge.service.web.Page;
import dev.surge.service.web.PageRequest;
import io.r2dbc.spi.Readable;
import reactor.core.publisher.Mono;

/** The {@code shipment} and {@code order_cancellation} tables. */
@Component
class R2dbcShipmentRepository {

    private static final String COLUMNS = """
            order_id, attempt, ship_to_country, warehouse, carrier, tracking_number, status, next_step_at,
            return_requested, created_at, updated_at""";

    private final DatabaseClient database;

    R2dbcShipmentRepository(DatabaseClient database) {
        this.database = database;
    }

    /**
     * Creates the order's shipment, its allocation due after {@code delay}; nothing when the order has one
     * (one shipment per order, whichever attempt paid) or was cancelled already.
     */
    Mono<Long> create(UUID orderId, int attempt, String country, String warehouse, String carrier, String trackingNumber,
            Duration delay) {
        DatabaseClient.GenericExecuteSpec insert = database.sql("""
                        INSERT INTO shipment (order_id, attempt, ship_to_country, warehouse, carrier, tracking_number, status,
                                              next_step_at)
                        SELECT :orderId, :attempt, :country, :warehouse, :carrier, :tracking, 'AWAITING_ALLOCATION',
                               now() + make_interval(secs => :delay)
                        WHERE NOT EXISTS (SELECT 1 FROM order_cancellation WHERE order_id = :orderId)
                        ON CONFLICT (order_id) DO NOTHING""")
                .bind("orderId", orderId)
                .bind("attempt", attempt)
                .bind("warehouse", warehouse)
                .bind("carrier", carrier)
                .bind("tracking", trackingNumber)
                .bind("delay", Sql.seconds(delay));
        return Sql.bindNullable(insert, "country", country, String.class)
                .fetch()
                .rowsUpdated();
    }

    /**
     * The attempt that paid for the order: its newest successful charge (an older one that succeeded too
     * was superseded, and cart-order has it refunded), with the country it ships to; empty without one.
     */
    Mono<PaidAttempt> paidAttempt(UUID orderId) {
        return database.sql("""
                        SELECT attempt, ship_to_country FROM payment
                        WHERE order_id = :orderId AND kind = 'CHARGE' AND status = 'SUCCEEDED'
                        ORDER BY attempt DESC LIMIT 1""")
                .bind("orderId", orderId)
                .map(row -> new PaidAttempt(row.get("attempt", Integer.class), row.get("ship_to_country", String.class)))
                .one();
    }

    record PaidAttempt(int attempt, String country) {
    }

    /** Records the cancel; emits whether it is the first for the order. */
    Mono<Boolean> recordCancellation(UUID orderId, String reason) {
        return database.sql("INSERT INTO order_cancellation (order_id, reason) VALUES (:orderId, :reason) ON CONFLICT DO NOTHING")
                .bind("orderId", orderId)
                .bind("reason", reason)
                .fetch()
                .rowsUpdated()
                .map(inserted -> inserted == 1);
    }

    /**
     * Stops the shipment if it has not left, else flags it as a return; emits the status it was found in
     * (empty without a shipment). The update waits for a timer step holding the row, so a step and a
     * cancel never both win: shipped first, the cancel sees it shipped.
     */
    Mono<ShipmentStatus> stopOrFlagReturn(UUID orderId) {
        return database.sql("""
                        UPDATE shipment s SET
                            status = CASE WHEN s.status IN ('SHIPPED', 'DELIVERED') THEN s.status ELSE 'STOPPED' END,
                            next_step_at = CASE WHEN s.status IN ('SHIPPED', 'DELIVERED') THEN s.next_step_at END,
                            return_requested = s.status IN ('SHIPPED', 'DELIVERED'),
                            updated_at = now()
                        FROM (SELECT order_id, status FROM shipment WHERE order_id = :orderId FOR UPDATE) before
                        WHERE s.order_id = before.order_id
                        RETURNING before.status AS status_before""")
                .bind("orderId", orderId)
                .map(row -> ShipmentStatus.valueOf(row.get("status_before", String.class)))
                .one();
    }

    /**
     * Takes up to {@code batch} shipments whose next step is due, locked until the caller's transaction
     * ends ({@code SKIP LOCKED}: another instance takes other rows, never these), with whether the order
     * was cancelled meanwhile. An allocation is due only once the payment's success has left the outbox.
     */
    Mono<List<DueStep>> lockDue(int batch) {
        return database.sql("""
                        SELECT s.order_id, s.status, s.warehouse, s.carrier, s.tracking_number,
                               EXISTS (SELECT 1 FROM order_cancellation c WHERE c.order_id = s.order_id) AS cancelled
                        FROM shipment s
                        WHERE s.next_step_at <= now()
                          -- allocation waits until PaymentSucceeded is on its topic: the order's followers read two
                          -- topics, and OrderAllocated must not be there before the payment that confirms the order
                          AND NOT (s.status = 'AWAITING_ALLOCATION' AND EXISTS (
                              SELECT 1 FROM outbox o
                              WHERE o.aggregate_id = s.order_id::text AND o.event_type = 'PaymentSucceeded'
                                AND o.published_at IS NULL))
                        ORDER BY s.next_step_at
                        LIMIT :batch
                        FOR UPDATE OF s SKIP LOCKED""")
                .bind("batch", batch)
                .map(row -> new DueStep(row.get("order_id", UUID.class), ShipmentStatus.valueOf(row.get("status", String.class)),
                        row.get("warehouse", String.class), row.get("carrier", String.class),
                        row.get("tracking_number", String.class), Boolean.TRUE.equals(row.get("cancelled", Boolean.class))))
                .all()
                .collectList();
    }

    /** Moves a locked shipment on; {@code next} null when no step is left. */
    Mono<Void> advance(UUID orderId, ShipmentStatus to, Duration next) {
        String nextStep = next == null ? "NULL" : "now() + make_interval(secs => :next)";
        DatabaseClient.GenericExecuteSpec update = database.sql("UPDATE shipment SET status = :status, next_step_at = " + nextStep
                        + ", updated_at = now() WHERE order_id = :orderId")
                .bind("status", to.name())
                .bind("orderId", orderId);
        return (next == null ? update : update.bind("next", Sql.seconds(next)))
                .fetch()
                .rowsUpdated()
                .then();
    }

    /** A page of the most recent shipments, newest first, optionally of one status and only returns or none. */
    Mono<Page<ShipmentRecord>> recent(ShipmentStatus status, Boolean returnRequested, PageRequest page) {
        return Sql.page(database, COLUMNS, "shipment", "created_at DESC, order_id",
                new Sql.Filter().equal("status", status).equal("return_requested", returnRequested), page,
                R2dbcShipmentRepository::record);
    }

    private static ShipmentRecord record(Readable row) {
        return new ShipmentRecord(
                row.get("order_id", UUID.class),
                row.get("attempt", Integer.class),
                row.get("ship_to_country", String.class),
                row.get("warehouse", String.class),
                row.get("carrier", String.class),
                row.get("tracking_number", String.class),
                ShipmentStatus.valueOf(row.get("status", String.class)),
                Sql.instant(row, "next_step_at"),
                Boolean.TRUE.equals(row.get("return_requested", Boolean.class)),
                Sql.instant(row, "created_at"),
                Sql.instant(row, "updated_at"));
    }

    /** A shipment whose next step is due, locked by the caller's transaction. */
    record DueStep(UUID orderId, ShipmentStatus status, String warehouse, String carrier, String trackingNumber,
            boolean cancelled) {
    }
}
