package dev.surge.order.orders;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 *
 * Fulfilment reports its progress (allocated, shipped, delivered) on a topic read beside the
 * payments topic, so a report may arrive before the payment success it follows: the order keeps the
 * furthest one and takes the steps up to it once it is {@code CONFIRMED} ({@link #stepTowards}).
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

    /** The way of a paid order, one step after the other. */
    private static final List<OrderStatus> FULFILMENT = List.of(CONFIRMED, ALLOCATED, SHIPPED, DELIVERED);

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

    /** Whether this fulfilment progress is past {@code known} (null: nothing reported yet). */
    public boolean isFurtherThan(OrderStatus known) {
        return known == null || FULFILMENT.indexOf(this) > FULFILMENT.indexOf(known);
    }

    /**
     * The next move of an order on its way to the fulfilment progress {@code reported}; empty when it
     * is there or past it already, when nothing is reported (null), and when the order is not on that
     * way: waiting for its payment, failed or cancelled.
     */
    public Optional<OrderStatus> stepTowards(OrderStatus reported) {
        if (reported == null) {
            return Optional.empty();
        }
        int here = FULFILMENT.indexOf(this);
        return here >= 0 && FULFILMENT.indexOf(reported) > here ? Optional.of(FULFILMENT.get(here + 1)) : Optional.empty();
    }
}
