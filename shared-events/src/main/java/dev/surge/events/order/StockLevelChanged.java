package dev.surge.events.order;

import java.util.Objects;

/**
 * The authoritative stock of a sku changed; catalog uses it for the availability it displays.
 *
 * @param sku               stock-keeping unit
 * @param available         units that can still be sold after the change, never negative
 * @param lowStockThreshold at or below this many units the product counts as low on stock
 * @param reason            what changed the stock, e.g. {@code ORDER_PLACED}, {@code PAYMENT_FAILED},
 *                          {@code ORDER_CANCELLED}, {@code ADJUSTED}
 */
public record StockLevelChanged(String sku, int available, int lowStockThreshold, String reason)
        implements InventoryEvent {

    public StockLevelChanged {
        Objects.requireNonNull(sku, "sku");
        Objects.requireNonNull(reason, "reason");
        if (available < 0) {
            throw new IllegalArgumentException("available must not be negative: " + available);
        }
        if (lowStockThreshold < 0) {
            throw new IllegalArgumentException("lowStockThreshold must not be negative: " + lowStockThreshold);
        }
    }
}
