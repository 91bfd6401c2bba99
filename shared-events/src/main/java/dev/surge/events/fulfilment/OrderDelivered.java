package dev.surge.events.fulfilment;

import java.util.Objects;
import java.util.UUID;

/**
 * The carrier delivered the order to the shopper.
 *
 * @param orderId id of the delivered order
 */
public record OrderDelivered(UUID orderId) implements FulfilmentEvent {

    public OrderDelivered {
        Objects.requireNonNull(orderId, "orderId");
    }
}
