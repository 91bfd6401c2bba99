package dev.surge.events.fulfilment;

import java.util.Objects;
import java.util.UUID;

/**
 * The payment provider refused or could not charge the order; cart-order moves it to
 * {@code PAYMENT_FAILED} and restores its stock.
 *
 * @param orderId    id of the order that was not paid
 * @param attempt    the payment attempt that failed
 * @param reasonCode stable machine-readable reason, e.g. {@code CARD_DECLINED}, {@code INSUFFICIENT_FUNDS},
 *                   {@code PROVIDER_UNAVAILABLE}
 * @param message    human-readable detail from the provider, or {@code null}; not for display to shoppers as is
 */
public record PaymentFailed(UUID orderId, int attempt, String reasonCode, String message) implements PaymentEvent {

    public PaymentFailed {
        Objects.requireNonNull(orderId, "orderId");
        Objects.requireNonNull(reasonCode, "reasonCode");
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt must be at least 1: " + attempt);
        }
    }
}
