package dev.surge.catalog.cache;

import java.util.Collection;
import java.util.function.Supplier;

import reactor.core.publisher.Mono;

/**
 * Cache-aside for catalog reads. Offered to the features so they never talk to Redis themselves;
 * a Redis failure is never theirs either: the value is loaded from PostgreSQL instead.
 */
public interface CatalogCache {

    /**
     * The cached value, or the loader's; concurrent misses of one key share a single load.
     */
    <T> Mono<T> get(Cached<T> entry, Supplier<Mono<T>> loader);

    /**
     * The cached answer as its JSON bytes and entity tag, exactly as Redis holds them (a hit is
     * neither parsed nor written again), or the loader's value written once; concurrent misses of
     * one key share a single load.
     */
    <T> Mono<CachedJson> json(Cached<T> entry, Supplier<Mono<T>> loader);

    /** A value that is not cached (a deep page, an uncommon size) as JSON bytes with their tag. */
    <T> Mono<CachedJson> uncached(Mono<T> value);

    /**
     * Evicts what a change to one product affects: its details, every cached page that shows it,
     * and the listings of the given categories (the product's category and its ancestors).
     */
    Mono<Void> evictProduct(String sku, Collection<String> categoryIds);

    /** The listing of every product, whatever its category: a category id of its own. */
    String ALL_CATEGORIES = "*";
}
