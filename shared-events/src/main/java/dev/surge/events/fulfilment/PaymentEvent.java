package dev.surge.events.fulfilment;

import dev.surge.events.Event;

import java.util.UUID;

/**
 * Payment outcomes of the fulfilment service, published to
 * {@link dev.surge.events.Topics#PAYMENTS} and keyed by the order id.
 */
public sealed interface PaymentEvent extends Event permits PaymentSucceeded, PaymentFailed, PaymentRefunded {

    /** The order that was charged; its string form is the record key. */
    UUID orderId();
}
