package dev.surge.fulfilment.payment;

/** What the provider answered for a charge: final for its idempotency key. */
public sealed interface ChargeOutcome {

    /** @param paymentId the provider's id of the charge */
    record Charged(String paymentId) implements ChargeOutcome {
    }

    /**
     * @param code stable reason, e.g. {@code CARD_DECLINED}, {@code INSUFFICIENT_FUNDS}
     * @param message the provider's readable detail
     */
    record Declined(String code, String message) implements ChargeOutcome {
    }
}
