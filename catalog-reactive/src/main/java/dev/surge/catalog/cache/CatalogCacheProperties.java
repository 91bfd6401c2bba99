package dev.surge.catalog.cache;

import java.time.Duration;
import java.util.Set;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

import dev.surge.service.web.PageRequest;

/**
 * The catalog's Redis cache ({@code surge.catalog.cache.*}).
 *
 * @param keyPrefix put before every key this service writes (tests give each class its own)
 * @param listTtl how long a product list page or the category tree stays cached
 * @param detailsTtl how long one product's details stay cached
 * @param searchTtl how long a search result page stays cached; shorter, because a renamed or new
 *        product can enter results without being in them before, which eviction cannot know
 * @param redisTimeout the longest wait for Redis before the request goes to PostgreSQL instead
 * @param flightTimeout the longest a request waits on another request's load of the same key
 *        before loading for itself: a stalled shared load must not hold every request behind it
 * @param indexLimit the most keys one index set ({@code index:sku:<sku>}, {@code index:category:<id>})
 *        holds; past it the entries closest to expiry are dropped with their values, so a hot
 *        product's index, and the time its eviction takes, stay bounded
 * @param evictionMarkerTtl how long an eviction refuses the writes of loads that started before it;
 *        longer than any load takes
 * @param cachedPages list and search pages from 0 to this (exclusive) are cached; deeper ones, which
 *        few people open, are read from PostgreSQL, so nobody can fill Redis by walking page numbers
 * @param cachedPageSizes the page sizes that are cached (what the shop's pages ask for); any other
 *        size is read from PostgreSQL, for the same reason
 * @param httpMaxAge how long a browser or CDN may use a public read without asking again
 *        ({@code Cache-Control: max-age}): short, because nothing can evict their copies when a
 *        price or the stock shown changes; asking again is cheap (a {@code 304} from Redis)
 * @param httpStaleIfError how long past that they may still show their copy while we answer with
 *        an error or not at all ({@code stale-if-error}, RFC 5861)
 * @param localTtl how long an instance keeps a copy of an entry it read from Redis in its own memory
 *        ({@link LocalCopies}); another instance's change shows here at most this late; zero keeps none
 * @param localEntries the most copies an instance keeps
 * @param localBytes the most bytes its copies may hold in all (an entry larger than that is not copied)
 */
@Validated
@ConfigurationProperties("surge.catalog.cache")
public record CatalogCacheProperties(
        @DefaultValue("catalog:") @NotNull String keyPrefix,
        @DefaultValue("10m") @NotNull Duration listTtl,
        @DefaultValue("10m") @NotNull Duration detailsTtl,
        @DefaultValue("1m") @NotNull Duration searchTtl,
        @DefaultValue("250ms") @NotNull Duration redisTimeout,
        @DefaultValue("5s") @NotNull Duration flightTimeout,
        @DefaultValue("1000") @Min(1) @Max(5000) int indexLimit,
        @DefaultValue("1m") @NotNull Duration evictionMarkerTtl,
        @DefaultValue("5") @Min(0) @Max(100) int cachedPages,
        @DefaultValue({ "12", "20", "24", "48" }) @NotNull Set<Integer> cachedPageSizes,
        @DefaultValue("10s") @NotNull Duration httpMaxAge,
        @DefaultValue("5m") @NotNull Duration httpStaleIfError,
        @DefaultValue("1s") @NotNull Duration localTtl,
        @DefaultValue("10000") @Min(1) @Max(1000000) int localEntries,
        @DefaultValue("32MB") @NotNull DataSize localBytes) {

    /** Whether a page of a list or of search results is worth a cache entry (the key space stays bounded). */
    public boolean caches(PageRequest page) {
        return page.page() < cachedPages && cachedPageSizes.contains(page.size());
    }

    /** Index sets live as long as the longest-lived entry they point to. */
    Duration indexTtl() {
        return listTtl.compareTo(detailsTtl) > 0 ? listTtl : detailsTtl;
    }
}
