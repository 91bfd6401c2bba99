package dev.surge.order.product;

import reactor.core.publisher.Mono;

/**
 * Told, inside the read model's transaction, of a product the read model had never held. The dev
 * environment gives such products demo stock; without a bean of this type nothing happens.
 */
public interface FirstSeen {

    /** Runs in the transaction that inserted the product; a failure rolls the insert back and the event is retried. */
    Mono<Void> productFirstSeen(CatalogProduct product);
}
