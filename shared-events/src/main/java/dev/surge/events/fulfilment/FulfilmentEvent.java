package dev.surge.events.fulfilment;

import dev.surge.events.Event;

import java.util.UUID;

/**
 * Warehouse and shipping progress of the fulfilment service, published to
 * {@link dev.surge.events.Topics#FULFILMENT} and keyed by the order id.
 */
public sealed interface FulfilmentEvent extends Event permits OrderAllocated, OrderShipped, OrderDelivered {

    /** The order being fulfilled; its string form is the record key. */
    UUID orderId();
}
