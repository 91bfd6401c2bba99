package dev.surge.order.product;

import java.util.Collection;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The products carts and checkout look up: cart-order's own copy, never a call to catalog. */
public interface ProductReadModel {

    /** The product with this sku, or empty when the catalog never announced it. */
    Mono<CatalogProduct> find(String sku);

    /** The products with these skus that are known, in no particular order. */
    Flux<CatalogProduct> findAll(Collection<String> skus);
}
