package dev.surge.events.fulfilment;

import dev.surge.events.Money;

import java.util.Objects;
import java.util.UUID;

/**
 * The payment provider charged the order; cart-order confirms it.
 *
 * @param orderId   id of the paid order
 * @param attempt   the payment attempt that was charged (cart-order accepts only its order's current one)
 * @param paymentId the payment provider's id of the charge, for refunds and reconciliation
 * @param amount    the amount charged, in minor units
 */
public record PaymentSucceeded(UUID orderId, int attempt, String paymentId, Money amount) implements PaymentEvent {

    public PaymentSucceeded {
        Objects.requireNonNull(orderId, "orderId");
        Objects.requireNonNull(paymentId, "paymentId");
        Objects.requireNonNull(amount, "amount");
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt must be at least 1: " + attempt);
        }
    }
}
