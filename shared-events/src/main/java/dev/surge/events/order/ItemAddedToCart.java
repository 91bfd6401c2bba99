package dev.surge.events.order;

import dev.surge.events.Money;

import java.util.Objects;

/**
 * A signed-in shopper added units of a product to their cart.
 *
 * @param userId    the cart owner
 * @param sku       stock-keeping unit added
 * @param quantity  units added by this action (not the new line quantity), at least 1
 * @param unitPrice price of one unit when added, in minor units
 */
public record ItemAddedToCart(String userId, String sku, int quantity, Money unitPrice) implements CartEvent {

    public ItemAddedToCart {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(sku, "sku");
        Objects.requireNonNull(unitPrice, "unitPrice");
        if (quantity < 1) {
            throw new IllegalArgumentException("quantity must be at least 1: " + quantity);
        }
    }
}
