package dev.surge.catalog.product;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What the shop shows about stock. The authoritative count lives in cart-order; this is its
 * display, fed by {@code StockLevelChanged} events.
 *
 * @param status in stock, low stock or out of stock
 * @param count units left, shown only when stock is low
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Availability(Status status, Integer count) {

    public enum Status { IN_STOCK, LOW_STOCK, OUT_OF_STOCK }

    /** No stock event yet counts as in stock: the catalog never hides a product it has not heard about. */
    static Availability of(Integer available, int lowStockThreshold) {
        if (available == null) {
            return new Availability(Status.IN_STOCK, null);
        }
        if (available == 0) {
            return new Availability(Status.OUT_OF_STOCK, null);
        }
        if (available <= lowStockThreshold) {
            return new Availability(Status.LOW_STOCK, available);
        }
        return new Availability(Status.IN_STOCK, null);
    }
}
