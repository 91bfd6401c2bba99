package dev.surge.events.fulfilment;

import dev.surge.events.Money;

import java.util.Objects;
import java.util.UUID;

/**
 * fulfilment paid back a charged attempt, as cart-order asked with {@code RefundRequested}.
 *
 * @param orderId  id of the order whose attempt was refunded
 * @param attempt  the refunded attempt
 * @param refundId the payment provider's id of the refund
 * @param amount   the amount refunded, in minor units
 */
public record PaymentRefunded(UUID orderId, int attempt, String refundId, Money amount) implements PaymentEvent {

    public PaymentRefunded {
        Objects.requireNonNull(orderId, "orderId");
        Objects.requireNonNull(refundId, "refundId");
        Objects.requireNonNull(amount, "amount");
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt must be at least 1: " + attempt);
        }
    }
}
