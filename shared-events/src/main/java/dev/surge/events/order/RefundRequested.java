package dev.surge.events.order;

import dev.surge.events.Money;

import java.util.Objects;
import java.util.UUID;

/**
 * cart-order decided that a charged attempt must be paid back: the order was cancelled after it
 * was paid, or a success arrived for an attempt that was superseded, or for an order already
 * cancelled or timed out. fulfilment refunds exactly once per (order, attempt), never on its own.
 *
 * @param orderId id of the order whose attempt is refunded
 * @param attempt the charged attempt to refund
 * @param amount  the amount to refund, in minor units (the amount that attempt charged)
 * @param reason  why, e.g. {@code ORDER_CANCELLED}, {@code ATTEMPT_SUPERSEDED}, {@code ORDER_NOT_PAYABLE}
 */
public record RefundRequested(UUID orderId, int attempt, Money amount, String reason) implements PaymentRequestEvent {

    public RefundRequested {
        Objects.requireNonNull(orderId, "orderId");
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(reason, "reason");
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt must be at least 1: " + attempt);
        }
    }
}
