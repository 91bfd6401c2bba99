package dev.surge.events.catalog;

import java.util.Objects;

/**
 * A product was withdrawn from sale; it can no longer be added to a cart or ordered.
 *
 * @param sku stock-keeping unit of the withdrawn product
 */
public record ProductDeactivated(String sku) implements CatalogEvent {

    public ProductDeactivated {
        Objects.requireNonNull(sku, "sku");
    }
}
