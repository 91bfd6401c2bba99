package dev.surge.events.order;

import dev.surge.events.Money;

import java.util.Objects;
import java.util.UUID;

/**
 * cart-order asks fulfilment to charge an order: once at checkout (attempt 1) and once more for
 * every payment retry of a {@code PAYMENT_FAILED} order. Each attempt has its own provider
 * idempotency key (order id + attempt), so one attempt is charged at most once.
 *
 * @param orderId      id of the order to charge
 * @param userId       the shopper who owns the order
 * @param attempt      the attempt number, 1 for the checkout, then 2, 3, ... for each retry
 * @param amount       the amount to charge, in minor units
 * @param paymentToken opaque token of the shopper's payment method, handed to the payment provider only
 */
public record PaymentRequested(UUID orderId, String userId, int attempt, Money amount, String paymentToken)
        implements PaymentRequestEvent {

    public PaymentRequested {
        Objects.requireNonNull(orderId, "orderId");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(paymentToken, "paymentToken");
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt must be at least 1: " + attempt);
        }
        if (paymentToken.isBlank()) {
            throw new IllegalArgumentException("paymentToken must not be blank");
        }
    }
}
