package dev.surge.notify.live;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

import dev.surge.events.Money;
import io.r2dbc.spi.Readable;

/**
 * One order as a shopper's stream shows it: the data of every snapshot and change event, taken from
 * the read model's row ({@code order_status}) right after the change.
 *
 * @param orderId         the order
 * @param status          its status (cart-order's, from {@code shop.orders.v1})
 * @param version         the order's version of that status
 * @param reason          the reason that came with the status (a payment failure code, a cancel reason), or null
 * @param total           what the order costs, in minor units
 * @param paymentFailure  the latest failed payment attempt, or null
 * @param shipment        carrier and tracking number once shipped, or null
 * @param refund          the latest refund, or null
 * @param placedAt        when the order was placed
 * @param statusChangedAt when its status last changed
 * @param confirmedAt     when its payment was confirmed, or null
 * @param allocatedAt     when it was packed at the warehouse, or null
 * @param deliveredAt     when it was delivered, or null
 * @param cancelledAt     when it was cancelled, or null
 * @param finalStatus     {@code DELIVERED} or {@code CANCELLED}: nothing more will happen, and the order's
 *                        own stream ends after this event ({@code PAYMENT_FAILED} is not final: the
 *                        shopper may pay again)
 */
public record OrderView(UUID orderId, String status, long version, String reason, Money total,
        PaymentFailure paymentFailure, Shipment shipment, Refund refund, Instant placedAt, Instant statusChangedAt,
        Instant confirmedAt, Instant allocatedAt, Instant deliveredAt, Instant cancelledAt, boolean finalStatus) {

    private static final Set<String> FINAL = Set.of("DELIVERED", "CANCELLED");

    /**
     * @param reason  fulfilment's reason code ({@code CARD_DECLINED}, ...)
     * @param message the provider's words, or null
     * @param at      when the attempt failed
     */
    public record PaymentFailure(String reason, String message, Instant at) {
    }

    /**
     * @param carrier        who carries the parcel
     * @param trackingNumber the carrier's tracking number
     * @param at             when it left the warehouse
     */
    public record Shipment(String carrier, String trackingNumber, Instant at) {
    }

    /**
     * @param amount what was paid back, in minor units
     * @param at     when
     */
    public record Refund(Money amount, Instant at) {
    }

    /** The order of a read-model row ({@code order_status.*}). */
    public static OrderView from(Readable row) {
        String status = row.get("status", String.class);
        String failure = row.get("payment_failure_reason", String.class);
        String tracking = row.get("tracking_number", String.class);
        Long refunded = row.get("refunded_amount", Long.class);
        return new OrderView(row.get("order_id", UUID.class), status, row.get("version", Long.class),
                row.get("status_reason", String.class),
                money(row.get("total_amount", Long.class), row.get("currency", String.class)),
                failure == null ? null : new PaymentFailure(failure, row.get("payment_failure_message", String.class),
                        row.get("payment_failed_at", Instant.class)),
                tracking == null ? null : new Shipment(row.get("carrier", String.class), tracking,
                        row.get("shipped_at", Instant.class)),
                refunded == null ? null : new Refund(money(refunded, row.get("refund_currency", String.class)),
                        row.get("refunded_at", Instant.class)),
                row.get("placed_at", Instant.class), row.get("status_changed_at", Instant.class),
                row.get("confirmed_at", Instant.class), row.get("allocated_at", Instant.class),
                row.get("delivered_at", Instant.class),
                row.get("cancelled_at", Instant.class), status != null && FINAL.contains(status));
    }

    private static Money money(Long amount, String currency) {
        return amount == null || currency == null ? null : new Money(amount, currency);
    }
}
