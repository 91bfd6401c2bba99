package dev.surge.order.orders;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The order lifecycle, in one place: every use case asks {@link #canMoveTo} before it changes an
 * order's status, and nothing else decides which moves exist.
 *
 * <pre>
 * PENDING_PAYMENT → CONFIRMED → ALLOCATED → SHIPPED → DELIVERED
 * PENDING_PAYMENT → PAYMENT_FAILED → PENDING_PAYMENT (a retry with another payment method)
 * PENDING_PAYMENT | PAYMENT_FAILED | CONFIRMED | ALLOCATED → CANCELLED (before shipping)
 * </pre>
 */
public enum OrderStatus {
    PENDING_PAYMENT,
    CONFIRMED,
    ALLOCATED,
    SHIPPED,
    DELIVERED,
    PAYMENT_FAILED,
    CANCELLED;

    private static final Map<OrderStatus, Set<OrderStatus>> MOVES = Map.of(
            PENDING_PAYMENT, EnumSet.of(CONFIRMED, PAYMENT_FAILED, CANCELLED),
            CONFIRMED, EnumSet.of(ALLOCATED, CANCELLED),
            ALLOCATED, EnumSet.of(SHIPPED, CANCELLED),
            SHIPPED, EnumSet.of(DELIVERED),
            DELIVERED, EnumSet.noneOf(OrderStatus.class),
            PAYMENT_FAILED, EnumSet.of(PENDING_PAYMENT, CANCELLED),
            CANCELLED, EnumSet.noneOf(OrderStatus.class));

    public boolean canMoveTo(OrderStatus next) {
        return MOVES.get(this).contains(next);
    }

    /** Whether the order's stock is held: it is given back when the order fails payment or is cancelled. */
    public boolean holdsStock() {
        return this != PAYMENT_FAILED && this != CANCELLED;
    }

    /** Whether nothing can happen to the order any more. */
    public boolean isFinal() {
        return MOVES.get(this).isEmpty();
    }
}
