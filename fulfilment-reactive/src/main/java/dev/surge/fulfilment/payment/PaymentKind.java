package dev.surge.fulfilment.payment;

import java.util.Locale;
import java.util.UUID;

/** What a payment row records: a charge of an attempt, or the refund of one. */
public enum PaymentKind {
    CHARGE,
    REFUND;

    /** The provider's idempotency key of this operation for an order's attempt: {@code <order id>:<attempt>:charge}. */
    public String idempotencyKey(UUID orderId, int attempt) {
        return orderId + ":" + attempt + ":" + name().toLowerCase(Locale.ROOT);
    }
}
