package dev.surge.events.order;

import java.util.Objects;
import java.util.UUID;

/**
 * An order moved from one lifecycle status to another; the envelope's aggregate version is
 * the order's version after the change.
 *
 * @param orderId id of the order
 * @param userId  the shopper who owns the order
 * @param from    status before the change, e.g. {@code PENDING_PAYMENT}
 * @param to      status after the change, e.g. {@code CONFIRMED}
 * @param reason  why the status changed, e.g. a payment failure code, or {@code null} for the normal flow
 */
public record OrderStatusChanged(UUID orderId, String userId, String from, String to, String reason)
        implements OrderEvent {

    public OrderStatusChanged {
        Objects.requireNonNull(orderId, "orderId");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
    }
}
