package dev.surge.events.order;

import java.util.Objects;
import java.util.UUID;

/**
 * An order was cancelled before shipping and its stock restored; fulfilment stops working on it.
 *
 * @param orderId id of the cancelled order
 * @param userId  the shopper who owns the order
 * @param reason  why it was cancelled, e.g. {@code CUSTOMER_REQUEST}
 */
public record OrderCancelled(UUID orderId, String userId, String reason) implements OrderEvent {

    public OrderCancelled {
        Objects.requireNonNull(orderId, "orderId");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(reason, "reason");
    }
}
