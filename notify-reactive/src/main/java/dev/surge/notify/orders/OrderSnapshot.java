package dev.surge.notify.orders;

import java.util.UUID;

import dev.surge.events.Money;
import dev.surge.notify.live.OrderView;
import io.r2dbc.spi.Readable;

/**
 * One order as the read model knows it after a change: what the mails need (the live-status streams
 * read the same row).
 *
 * @param orderId              the order
 * @param userId               its owner, or {@code null} while no {@code shop.orders.v1} event was read
 * @param email                where its mails go, from {@code OrderPlaced}; {@code null} before it, or when the
 *                             shopper has no address
 * @param status               its status from {@code shop.orders.v1}, or {@code null} before the first
 * @param version              the order's version of that status, 0 before the first
 * @param total                the order's total, from {@code OrderPlaced}
 * @param paymentFailureReason fulfilment's reason code for the latest failed attempt
 * @param carrier              the carrier of the shipment
 * @param trackingNumber       the shipment's tracking number
 * @param shippedEventId       the event that moved the order to {@code SHIPPED}, whose mail waits for the tracking number
 * @param refund               the latest refund
 * @param refundEventId        the event of a refund whose mail is not written yet
 * @param view                 the order as the shopper's live stream shows it
 */
record OrderSnapshot(UUID orderId, String userId, String email, String status, long version, Money total,
        String paymentFailureReason, String carrier, String trackingNumber, UUID shippedEventId, Money refund,
        UUID refundEventId, OrderView view) {

    static OrderSnapshot from(Readable row) {
        return new OrderSnapshot(row.get("order_id", UUID.class), row.get("user_id", String.class),
                row.get("email", String.class), row.get("status", String.class), row.get("version", Long.class),
                money(row.get("total_amount", Long.class), row.get("currency", String.class)),
                row.get("payment_failure_reason", String.class), row.get("carrier", String.class),
                row.get("tracking_number", String.class), row.get("shipped_event_id", UUID.class),
                money(row.get("refunded_amount", Long.class), row.get("refund_currency", String.class)),
                row.get("refund_event_id", UUID.class), OrderView.from(row));
    }

    private static Money money(Long amount, String currency) {
        return amount == null || currency == null ? null : new Money(amount, currency);
    }
}
