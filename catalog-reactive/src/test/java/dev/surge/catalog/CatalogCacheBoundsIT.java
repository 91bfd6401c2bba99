package dev.surge.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import dev.surge.catalog.cache.CatalogCache;
import dev.surge.catalog.cache.CatalogCacheProperties;
import dev.surge.catalog.cache.Cached;
import dev.surge.testsupport.IntegrationTest;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;
import tools.jackson.core.type.TypeReference;

/** The cache's own promises: indexes that stay bounded, and no stale copy written after an eviction. */
@IntegrationTest
class CatalogCacheBoundsIT extends CatalogFixtures {

    private static final TypeReference<List<String>> SKUS = new TypeReference<>() { };

    @Autowired
    CatalogCache cache;

    @Autowired
    CatalogCacheProperties settings;

    @Autowired
    ReactiveStringRedisTemplate redis;

    @Test
    void aProductShownOnThousandsOfPagesKeepsABoundedIndex() {
        int pages = settings.indexLimit() * 3;
        StepVerifier.create(Flux.range(0, pages)
                        .flatMap(page -> cache.get(page("list:hot:" + page, "P-HOT"), () -> Mono.just(List.of("P-HOT"))), 8)
                        .count())
                .expectNext((long) pages)
                .verifyComplete();

        assertThat(indexSize("P-HOT")).isEqualTo(settings.indexLimit());
        // the pages dropped from the index went with it: none is left that an eviction could not find
        assertThat(cachedPages(pages)).isEqualTo(settings.indexLimit());

        StepVerifier.create(cache.evictProduct("P-HOT", List.of())).verifyComplete();
        assertThat(cachedPages(pages)).isZero();
        assertThat(indexSize("P-HOT")).isZero();
    }

    @Test
    void searchPagesAreNotIndexed() {
        for (int size = 1; size <= 60; size++) {
            http.get().uri("/api/products/search?q=sony&size=" + size).exchange()
                    .expectStatus().isOk()
                    .expectBody().jsonPath("$.items[0].sku").isEqualTo("P-SONY");
        }
        assertThat(indexSize("P-SONY")).isZero();
        assertThat(redis.hasKey(settings.keyPrefix() + "search:sony:0:48").block(Duration.ofSeconds(5))).isTrue();
    }

    @Test
    void walkingPageNumbersOrSizesFillsNoCache() {
        for (int page = 0; page < 40; page++) {
            http.get().uri("/api/products?page=" + page + "&size=20").exchange().expectStatus().isOk();
            http.get().uri("/api/products/search?q=phone&page=" + page).exchange().expectStatus().isOk();
        }
        for (int size = 1; size <= 100; size++) {
            http.get().uri("/api/products?size=" + size).exchange().expectStatus().isOk();
        }
        long listPages = redis.keys(settings.keyPrefix() + "list:*").count().block(Duration.ofSeconds(10));
        long searchPages = redis.keys(settings.keyPrefix() + "search:*").count().block(Duration.ofSeconds(10));
        // pages 0-4 of the one size walked, plus sizes 12, 24 and 48 of page 0 (20's page 0 is among the first)
        assertThat(listPages).isEqualTo(settings.cachedPages() + settings.cachedPageSizes().size() - 1);
        assertThat(searchPages).isLessThanOrEqualTo(settings.cachedPages());
        // what is not cached is still answered, from PostgreSQL
        http.get().uri("/api/products?page=30&size=7").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.page").isEqualTo(30).jsonPath("$.size").isEqualTo(7);
        // leave no pages (and their index entries) behind for the other tests of this class
        redis.keys(settings.keyPrefix() + "*").flatMap(redis::delete).then().block(Duration.ofSeconds(10));
    }

    @Test
    void aLoadThatReadBeforeAChangeDoesNotWriteItsCopyAfterTheEviction() {
        Cached<List<String>> details = page("details:P-RACE", "P-RACE");
        Sinks.Empty<Void> loading = Sinks.empty();
        Sinks.One<List<String>> databaseAnswer = Sinks.one();

        StepVerifier.create(cache.get(details, () -> {
                    loading.tryEmitEmpty();
                    return databaseAnswer.asMono();
                }))
                // the load has read the row (it waits on the gate) when the change commits and evicts
                .then(() -> StepVerifier.create(loading.asMono()).verifyComplete())
                .then(() -> StepVerifier.create(cache.evictProduct("P-RACE", List.of())).verifyComplete())
                .then(() -> databaseAnswer.tryEmitValue(List.of("the old price")))
                .expectNext(List.of("the old price"))
                .verifyComplete();

        assertThat(redis.hasKey(settings.keyPrefix() + "details:P-RACE").block(Duration.ofSeconds(5)))
                .as("the stale copy was not written").isFalse();

        // a load that starts after the eviction reads the new row and is cached as usual
        StepVerifier.create(cache.get(details, () -> Mono.just(List.of("the new price"))))
                .expectNext(List.of("the new price"))
                .verifyComplete();
        StepVerifier.create(cache.get(details, () -> Mono.error(new AssertionError("must be a hit"))))
                .expectNext(List.of("the new price"))
                .verifyComplete();
    }

    @Test
    void aChangeOfAListedCategoryAlsoRefusesAPageLoadedBeforeIt() {
        Cached<List<String>> listing = new Cached<>("list:home:name:0:20", Duration.ofMinutes(10), SKUS,
                skus -> skus, List.of("home"));
        Sinks.Empty<Void> loading = Sinks.empty();
        Sinks.One<List<String>> databaseAnswer = Sinks.one();

        StepVerifier.create(cache.get(listing, () -> {
                    loading.tryEmitEmpty();
                    return databaseAnswer.asMono();
                }))
                .then(() -> StepVerifier.create(loading.asMono()).verifyComplete())
                // a product that was not on the page joins the category
                .then(() -> StepVerifier.create(cache.evictProduct("P-NEWCOMER", List.of("home"))).verifyComplete())
                .then(() -> databaseAnswer.tryEmitValue(List.of("P-DELONGHI")))
                .expectNext(List.of("P-DELONGHI"))
                .verifyComplete();

        assertThat(redis.hasKey(settings.keyPrefix() + "list:home:name:0:20").block(Duration.ofSeconds(5))).isFalse();
    }

    private static Cached<List<String>> page(String key, String sku) {
        return new Cached<>(key, Duration.ofMinutes(10), SKUS, skus -> List.of(sku), List.of());
    }

    private long indexSize(String sku) {
        return redis.opsForZSet().size(settings.keyPrefix() + "index:sku:" + sku).block(Duration.ofSeconds(5));
    }

    private long cachedPages(int pages) {
        return Flux.range(0, pages)
                .flatMap(page -> redis.hasKey(settings.keyPrefix() + "list:hot:" + page), 16)
                .filter(Boolean::booleanValue)
                .count()
                .block(Duration.ofSeconds(30));
    }
}
