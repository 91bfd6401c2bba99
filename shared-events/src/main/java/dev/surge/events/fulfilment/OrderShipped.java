package dev.surge.events.fulfilment;

import java.util.Objects;
import java.util.UUID;

/**
 * The order left the warehouse with a carrier.
 *
 * @param orderId        id of the shipped order
 * @param carrier        name of the carrier, e.g. {@code DHL}
 * @param trackingNumber the carrier's tracking number for the parcel
 */
public record OrderShipped(UUID orderId, String carrier, String trackingNumber) implements FulfilmentEvent {

    public OrderShipped {
        Objects.requireNonNull(orderId, "orderId");
        Objects.requireNonNull(carrier, "carrier");
        Objects.requireNonNull(trackingNumber, "trackingNumber");
    }
}
