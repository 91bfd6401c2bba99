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
 * @param imageUrl   path of the product's main image on the shop's origin (e.g. {@code /images/SKU-1.svg}),
 *                   or {@code null} when it has none or the producer predates the field
 * @param weightGrams shipping weight of one unit in grams, or {@code null} when unknown or the producer
 *                   predates the field
 */
public record ProductChanged(
        String sku,
        String name,
        String brand,
        String categoryId,
        Money price,
        boolean active,
        Instant changedAt,
        String imageUrl,
        Integer weightGrams) implements CatalogEvent {

    public ProductChanged {
        Objects.requireNonNull(sku, "sku");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(price, "price");
        Objects.requireNonNull(changedAt, "changedAt");
        if (weightGrams != null && weightGrams < 0) {
            throw new IllegalArgumentException("weightGrams must not be negative: " + weightGrams);
        }
    }

    /** A change without the fields added later (image, weight), as the first producers wrote it. */
    public ProductChanged(String sku, String name, String brand, String categoryId, Money price, boolean active,
            Instant changedAt) {
        this(sku, name, brand, categoryId, price, active, changedAt, null, null);
    }
}
