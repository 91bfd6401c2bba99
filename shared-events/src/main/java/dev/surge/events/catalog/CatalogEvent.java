package dev.surge.events.catalog;

import dev.surge.events.Event;

/**
 * Events of the catalog service, published to {@link dev.surge.events.Topics#CATALOG} and
 * keyed by the product's sku.
 */
public sealed interface CatalogEvent extends Event permits ProductChanged, ProductDeactivated {

    /** The sku of the product the event is about; the record key. */
    String sku();
}
