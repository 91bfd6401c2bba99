package dev.surge.events.order;

import dev.surge.events.Event;

import java.util.UUID;

/**
 * Order lifecycle events of the cart-order service, published to
 * {@link dev.surge.events.Topics#ORDERS} and keyed by the order id.
 *
 * <p>Status names follow the order lifecycle: {@code PENDING_PAYMENT}, {@code CONFIRMED},
 * {@code ALLOCATED}, {@code SHIPPED}, {@code DELIVERED}, {@code PAYMENT_FAILED}, {@code CANCELLED}.
 */
public sealed interface OrderEvent extends Event
        permits OrderPlaced, OrderStatusChanged, OrderCancelled {

    /** The order the event is about; its string form is the record key. */
    UUID orderId();

    /** The shopper who owns the order (the identity provider's subject). */
    String userId();
}
