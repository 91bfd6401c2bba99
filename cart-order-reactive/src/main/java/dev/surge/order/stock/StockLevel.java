package dev.surge.order.stock;

import java.time.Instant;

/**
 * The authoritative stock of one sku.
 *
 * @param sku the product's stock-keeping unit
 * @param available units that can still be sold, never negative
 * @param lowStockThreshold at or below this many units the shop shows "only a few left"
 * @param version bumped by every change; it is the aggregate version of the {@code StockLevelChanged} it caused
 * @param updatedAt when it last changed, or {@code null} for a product whose stock was never set
 */
record StockLevel(String sku, int available, int lowStockThreshold, long version, Instant updatedAt) {

    /** A product whose stock ops never set: nothing to sell yet. */
    static StockLevel neverSet(String sku) {
        return new StockLevel(sku, 0, StockForm.DEFAULT_LOW_STOCK_THRESHOLD, 0, null);
    }
}
