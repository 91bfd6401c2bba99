package dev.surge.order.cart;

import java.time.Instant;

import dev.surge.order.pricing.Money;

/**
 * One stored line of a cart.
 *
 * @param sku the product
 * @param quantity units, at least 1
 * @param priceWhenAdded the unit price when it was (last) added, to flag a price change since
 * @param addedAt when it was first added
 */
public record CartLine(String sku, int quantity, Money priceWhenAdded, Instant addedAt) {
}
