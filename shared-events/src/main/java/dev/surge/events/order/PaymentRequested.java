package dev.surge.events.order;

import dev.surge.events.Money;

import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

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
 * @param shipToCountry ISO 3166-1 alpha-2 code (upper case, e.g. {@code DE}) of the order's delivery address,
 *                     from which fulfilment picks the warehouse once the attempt is paid; {@code null} when the
 *                     producer predates the field (fulfilment then ships from its default warehouse)
 */
public record PaymentRequested(UUID orderId, String userId, int attempt, Money amount, String paymentToken,
        String shipToCountry) implements PaymentRequestEvent {

    private static final Pattern COUNTRY = Pattern.compile("[A-Z]{2}");

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
        if (shipToCountry != null && !COUNTRY.matcher(shipToCountry).matches()) {
            throw new IllegalArgumentException("shipToCountry must be an ISO 3166-1 alpha-2 code in upper case: " + shipToCountry);
        }
    }

    /** A request without the fields added later (the destination country), as the first producers wrote it. */
    public PaymentRequested(UUID orderId, String userId, int attempt, Money amount, String paymentToken) {
        this(orderId, userId, attempt, amount, paymentToken, null);
    }
}
