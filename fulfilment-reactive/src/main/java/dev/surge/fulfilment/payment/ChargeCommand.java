package dev.surge.fulfilment.payment;

import dev.surge.events.Money;

/**
 * One charge as the provider sees it.
 *
 * @param idempotencyKey the attempt's key, the same on every call for it
 * @param amount what to charge, in minor units
 * @param paymentToken the shopper's payment method token
 */
public record ChargeCommand(String idempotencyKey, Money amount, String paymentToken) {
}
