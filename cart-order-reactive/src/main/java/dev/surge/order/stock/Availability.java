package dev.surge.order.stock;

import java.util.Map;

import org.springframework.http.HttpStatus;

import dev.surge.service.web.Conflict;

/**
 * What the shop tells a shopper about a sku's stock.
 *
 * @param sku the product
 * @param available units that can be ordered now
 * @param state in stock, low (at or below the sku's threshold) or out of stock
 */
public record Availability(String sku, int available, State state) {

    public enum State { IN_STOCK, LOW, OUT_OF_STOCK }

    static Availability of(String sku, int available, int lowStockThreshold) {
        State state = available == 0 ? State.OUT_OF_STOCK : available <= lowStockThreshold ? State.LOW : State.IN_STOCK;
        return new Availability(sku, available, state);
    }

    /** The problem answered when fewer than the units asked for are left: how many there are goes along. */
    public static Conflict outOfStock(String sku, int available) {
        return new Conflict("out-of-stock", HttpStatus.CONFLICT, "Out of stock",
                available == 0 ? "'" + sku + "' is sold out" : "Only " + available + " of '" + sku + "' left",
                Map.of("sku", sku, "available", available));
    }

    /** A sku whose stock ops never set. */
    static Availability none(String sku) {
        return new Availability(sku, 0, State.OUT_OF_STOCK);
    }
}
