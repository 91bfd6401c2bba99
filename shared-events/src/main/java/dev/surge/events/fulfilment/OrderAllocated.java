package dev.surge.events.fulfilment;

import java.util.Objects;
import java.util.UUID;

/**
 * A warehouse reserved the order's goods for picking.
 *
 * @param orderId   id of the allocated order
 * @param warehouse code of the warehouse that will ship it
 */
public record OrderAllocated(UUID orderId, String warehouse) implements FulfilmentEvent {

    public OrderAllocated {
        Objects.requireNonNull(orderId, "orderId");
        Objects.requireNonNull(warehouse, "warehouse");
    }
}
