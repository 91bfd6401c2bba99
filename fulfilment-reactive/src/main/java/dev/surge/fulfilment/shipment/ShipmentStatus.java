package dev.surge.fulfilment.shipment;

/**
 * A shipment's steps, each taken once by the timer poll: {@code AWAITING_ALLOCATION → ALLOCATED →
 * SHIPPED → DELIVERED}; a cancel seen before {@code SHIPPED} moves it to {@code STOPPED}.
 */
public enum ShipmentStatus {
    AWAITING_ALLOCATION,
    ALLOCATED,
    SHIPPED,
    DELIVERED,
    STOPPED;

    /** Whether the parcel has left the warehouse: a cancel can no longer stop it, only ask for it back. */
    boolean hasLeft() {
        return this == SHIPPED || this == DELIVERED;
    }
}
