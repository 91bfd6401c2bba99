package dev.surge.fulfilment.payment;

/** What the provider answered for a refund: final for its idempotency key. */
public sealed interface RefundOutcome {

    /** @param refundId the provider's id of the refund */
    record Refunded(String refundId) implements RefundOutcome {
    }

    /**
     * @param code stable reason, e.g. {@code NO_SUCH_CHARGE}
     * @param message the provider's readable detail
     */
    record Refused(String code, String message) implements RefundOutcome {
    }
}
