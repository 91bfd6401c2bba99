package dev.surge.events.order;

import dev.surge.events.Money;

import java.util.Objects;
import java.util.UUID;

/**
 * The shopper asked to pay a {@code PAYMENT_FAILED} order again, possibly with another payment
 * method; stock is reserved again and fulfilment charges once more.
 *
 * @param orderId      id of the order to charge
 * @param userId       the shopper who owns the order
 * @param paymentToken opaque token of the payment method to charge this time
 * @param total        the amount to charge, in minor units
 */
public record PaymentRetryRequested(UUID orderId, String userId, String paymentToken, Money total)
        implements OrderEvent {

    public PaymentRetryRequested {
        Objects.requireNonNull(orderId, "orderId");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(paymentToken, "paymentToken");
        Objects.requireNonNull(total, "total");
    }
}
