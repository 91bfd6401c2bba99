package dev.surge.events.catalog;

import dev.surge.events.Money;

import java.time.Instant;
import java.util.Objects;

/**
 * A product was created or changed; carries the full current state that other services
 * keep in their read models (names and prices used at checkout).
 *
 * @param sku        stock-keeping unit, the product's stable id
 * @param name       display name
 * @param brand      brand name, or {@code null} when the product has none
 * @param categoryId id of the product's category, or {@code null} when uncategorised
 * @param price      current unit price, gross, in minor units
 * @param active     whether the product can be bought
 * @param changedAt  when the change was made in the catalog
 */
public record ProductChanged(
        String sku,
        String name,
        String brand,
        String categoryId,
        Money price,
        boolean active,
        Instant changedAt) implements CatalogEvent {

    public ProductChanged {
        Objects.requireNonNull(sku, "sku");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(price, "price");
        Objects.requireNonNull(changedAt, "changedAt");
    }
}
