package dev.surge.events.order;

import dev.surge.events.Event;

import java.util.UUID;

/**
 * What cart-order asks of the payment side, published to
 * {@link dev.surge.events.Topics#PAYMENT_REQUESTS} and keyed by the order id. Only fulfilment
 * reads this topic: it is the one place a shopper's payment method token travels.
 */
public sealed interface PaymentRequestEvent extends Event permits PaymentRequested, RefundRequested {

    /** The order the request is about; its string form is the record key. */
    UUID orderId();

    /** The payment attempt the request is about, starting at 1 for the checkout's own attempt. */
    int attempt();
}
