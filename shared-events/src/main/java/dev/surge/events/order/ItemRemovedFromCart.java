package dev.surge.events.order;

import java.util.Objects;

/**
 * A signed-in shopper removed a product's line from their cart.
 *
 * @param userId the cart owner
 * @param sku    stock-keeping unit removed
 */
public record ItemRemovedFromCart(String userId, String sku) implements CartEvent {

    public ItemRemovedFromCart {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(sku, "sku");
    }
}
