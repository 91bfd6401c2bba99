package dev.surge.fulfilment.payment;

/**
 * Where a charge or refund stands. {@code PENDING} is written before the provider is called; every
 * other status is final and written with its outcome event (if it has one) in one transaction.
 */
public enum PaymentStatus {
    /** Recorded, the provider called or about to be; retried with the same key until it is settled. */
    PENDING,
    /** A charge the provider made ({@code PaymentSucceeded}). */
    SUCCEEDED,
    /** A charge the provider declined, or could not make within the retry budget ({@code PaymentFailed}). */
    FAILED,
    /** A refund the provider made ({@code PaymentRefunded}). */
    REFUNDED,
    /** A refund asked for an attempt that was never charged: nothing to pay back, no event. */
    NOT_CHARGED,
    /** A refund the provider or the rules refused (more than was charged): no event, for ops to look at. */
    REJECTED
}
