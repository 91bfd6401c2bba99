package dev.surge.catalog.search;

import java.util.List;
import java.util.Locale;

import org.springframework.stereotype.Service;

import dev.surge.catalog.cache.CatalogCache;
import dev.surge.catalog.cache.CatalogCacheProperties;
import dev.surge.catalog.cache.Cached;
import dev.surge.catalog.cache.CachedJson;
import dev.surge.catalog.product.ProductSummary;
import dev.surge.service.web.InvalidParameter;
import dev.surge.service.web.PageRequest;
import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;

/**
 * Ranked, typo-tolerant product search. The query as typed is tried first; only when it finds
 * nothing is it spelling-corrected ("blutooth hedphones" → "bluetooth headphones"), and only when
 * that finds nothing too are names compared by trigram similarity.
 */
@Service
public class ProductSearch {

    /** Longest query accepted, in characters; longer ones get a 400 rather than a slow scan. */
    public static final int MAX_QUERY_LENGTH = 100;

    private static final TypeReference<SearchResults> RESULTS = new TypeReference<>() { };

    private final R2dbcSearchIndex index;
    private final CatalogCache cache;
    private final CatalogCacheProperties cacheSettings;

    ProductSearch(R2dbcSearchIndex index, CatalogCache cache, CatalogCacheProperties cacheSettings) {
        this.index = index;
        this.cache = cache;
        this.cacheSettings = cacheSettings;
    }

    /** A page of results as the JSON sent: a cached page as Redis holds it. */
    public Mono<CachedJson> search(String rawQuery, PageRequest page) {
        return Mono.fromCallable(() -> normalize(rawQuery))
                .flatMap(query -> !cacheSettings.caches(page) ? cache.uncached(find(query, page)) : cache.json(
                        new Cached<>("search:" + query.toLowerCase(Locale.ROOT) + ":" + page.page() + ":" + page.size(),
                                cacheSettings.searchTtl(), RESULTS,
                                results -> results.items().stream().map(ProductSummary::sku).toList(), List.of(),
                                // not indexed: expires within the search TTL instead of being evicted
                                false),
                        () -> find(query, page)));
    }

    private Mono<SearchResults> find(String query, PageRequest page) {
        return fullText(query, query, page)
                .switchIfEmpty(Mono.defer(() -> corrected(query, page)))
                .switchIfEmpty(Mono.defer(() -> similarNames(query, page)));
    }

    private Mono<SearchResults> fullText(String query, String asTyped, PageRequest page) {
        return index.countFullText(query)
                .filter(total -> total > 0)
                .flatMap(total -> index.fullText(query, page)
                        .collectList()
                        .map(items -> new SearchResults(items, page.page(), page.size(), total, asTyped,
                                query.equals(asTyped) ? null : query)));
    }

    private Mono<SearchResults> corrected(String query, PageRequest page) {
        return index.corrected(query)
                .filter(corrected -> !corrected.isEmpty() && !corrected.equalsIgnoreCase(query))
                .flatMap(corrected -> fullText(corrected, query, page));
    }

    private Mono<SearchResults> similarNames(String query, PageRequest page) {
        return Mono.zip(index.similarNames(query, page).collectList(), index.countSimilarNames(query))
                .map(found -> new SearchResults(found.getT1(), page.page(), page.size(), found.getT2(), query, null));
    }

    static String normalize(String raw) {
        String query = raw == null ? "" : raw.strip().replaceAll("\\s+", " ");
        if (query.isEmpty()) {
            throw new InvalidParameter("q", "must not be empty");
        }
        if (query.length() > MAX_QUERY_LENGTH) {
            throw new InvalidParameter("q", "must be at most " + MAX_QUERY_LENGTH + " characters");
        }
        return query;
    }
}
