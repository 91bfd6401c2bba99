package dev.surge.order.cart;

import java.util.List;

import reactor.core.publisher.Mono;

/** What checkout needs of a shopper's cart; both join the caller's transaction. */
public interface CartContents {

    /** The cart's lines, with the cart locked until the transaction ends, so no change slips in between. */
    Mono<List<CartLine>> lockedLines(String userId);

    /** Empties the cart (its lines became an order); announces nothing: the order is the event. */
    Mono<Void> empty(String userId);
}
