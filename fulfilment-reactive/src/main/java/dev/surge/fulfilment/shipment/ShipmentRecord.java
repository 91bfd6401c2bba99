package dev.surge.fulfilment.shipment;

import java.time.Instant;
import java.util.UUID;

/**
 * One order's shipment as ops see it.
 *
 * @param orderId the order
 * @param attempt the payment attempt that paid it
 * @param shipToCountry destination country, or {@code null} when the request named none
 * @param warehouse code of the warehouse it ships from
 * @param carrier who carries it
 * @param trackingNumber the parcel's tracking number
 * @param status where it stands
 * @param nextStepAt when its next step is due, {@code null} when none is left
 * @param returnRequested the order was cancelled after the parcel left: ops collect it as a return
 * @param createdAt when the payment started it
 * @param updatedAt when it last changed
 */
public record ShipmentRecord(
        UUID orderId,
        int attempt,
        String shipToCountry,
        String warehouse,
        String carrier,
        String trackingNumber,
        ShipmentStatus status,
        Instant nextStepAt,
        boolean returnRequested,
        Instant createdAt,
        Instant updatedAt) {
}
