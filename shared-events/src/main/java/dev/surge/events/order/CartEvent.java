package dev.surge.events.order;

import dev.surge.events.Event;

/**
 * Cart activity of signed-in shoppers, published by cart-order to
 * {@link dev.surge.events.Topics#CARTS} and keyed by the cart owner's user id.
 */
public sealed interface CartEvent extends Event permits ItemAddedToCart, ItemRemovedFromCart {

    /** The shopper who owns the cart; the record key. */
    String userId();
}
