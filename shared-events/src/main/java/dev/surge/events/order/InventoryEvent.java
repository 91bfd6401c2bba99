package dev.surge.events.order;

import dev.surge.events.Event;

/**
 * Stock events of the cart-order service, which holds the authoritative stock, published to
 * {@link dev.surge.events.Topics#INVENTORY} and keyed by sku.
 */
public sealed interface InventoryEvent extends Event permits StockLevelChanged {

    /** The sku whose stock the event is about; the record key. */
    String sku();
}
