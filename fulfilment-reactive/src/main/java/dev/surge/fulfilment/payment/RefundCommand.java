package dev.surge.fulfilment.payment;

import dev.surge.events.Money;

/**
 * One refund as the provider sees it.
 *
 * @param idempotencyKey the refund's key, the same on every call for it
 * @param paymentId the provider's id of the charge to pay back
 * @param amount what to pay back, in minor units
 */
public record RefundCommand(String idempotencyKey, String paymentId, Money amount) {
}
