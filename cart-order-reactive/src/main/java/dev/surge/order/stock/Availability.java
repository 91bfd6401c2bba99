package dev.surge.order.stock;

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

    /** A sku whose stock ops never set. */
    static Availability none(String sku) {
        return new Availability(sku, 0, State.OUT_OF_STOCK);
    }
}
