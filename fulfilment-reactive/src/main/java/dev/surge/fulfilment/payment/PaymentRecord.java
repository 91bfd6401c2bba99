package dev.surge.fulfilment.payment;

import java.time.Instant;
import java.util.UUID;

import dev.surge.events.Money;

/**
 * One charge or refund as fulfilment recorded it; the payment token is never part of it.
 *
 * @param id the row's id
 * @param kind charge or refund
 * @param orderId the order
 * @param attempt the order's payment attempt
 * @param idempotencyKey what the provider sees on every call for this operation
 * @param amount charged or refunded, in minor units
 * @param shipToCountry the delivery country the request named (charges), or {@code null}
 * @param status where it stands
 * @param providerRef the provider's id of the charge or refund, once it made one
 * @param failureCode why it failed or was refused, or {@code null}
 * @param failureMessage the readable detail of that, or {@code null}
 * @param refundReason why cart-order asked for the refund (refunds), or {@code null}
 * @param providerCalls how many times fulfilment took it to the provider
 * @param createdAt when it was recorded
 * @param updatedAt when it last changed
 */
public record PaymentRecord(
        UUID id,
        PaymentKind kind,
        UUID orderId,
        int attempt,
        String idempotencyKey,
        Money amount,
        String shipToCountry,
        PaymentStatus status,
        String providerRef,
        String failureCode,
        String failureMessage,
        String refundReason,
        int providerCalls,
        Instant createdAt,
        Instant updatedAt) {
}
