package dev.surge.catalog.cache;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;

import tools.jackson.core.type.TypeReference;

/**
 * What to cache and what it depends on.
 *
 * @param key the key within the catalog's prefix
 * @param ttl how long it may be served from the cache
 * @param type its JSON type
 * @param skus the products the value shows: a change to one of them evicts it
 * @param categories the categories whose listing it is (empty for details and search): a change to
 *        a product in one of them evicts it, since a new or repriced product can join the page
 * @param indexed whether a change evicts it through the index sets; {@code false} for entries whose
 *        own short TTL bounds how stale they get (search pages): their key space is as large as the
 *        queries anyone can type, and indexing it would grow a hot product's index without end
 */
public record Cached<T>(String key, Duration ttl, TypeReference<T> type, Function<T, Collection<String>> skus,
        List<String> categories, boolean indexed) {

    public Cached {
        categories = List.copyOf(categories);
    }

    /** An entry that a change of a product it shows, or of its categories, evicts. */
    public Cached(String key, Duration ttl, TypeReference<T> type, Function<T, Collection<String>> skus,
            List<String> categories) {
        this(key, ttl, type, skus, categories, true);
    }
}
