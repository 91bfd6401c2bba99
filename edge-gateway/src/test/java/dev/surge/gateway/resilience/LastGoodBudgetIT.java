package dev.surge.gateway.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.surge.gateway.FakeCatalog;
import dev.surge.gateway.redis.RedisKeys;
import dev.surge.testsupport.IntegrationTest;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/**
 * What anyone can make the gateway keep in Redis, the Redis that also holds the sessions: varying
 * a request creates no copies beyond the ones catalog's parameters name, and all copies together
 * stay within a count and a byte budget however many different answers are kept.
 */
@IntegrationTest(database = false, kafka = false)
@TestPropertySource(properties = {
        "surge.gateway.resilience.last-good.max-copies=5",
        "surge.gateway.resilience.last-good.max-total-size=12KB",
        // every request writes its copy: the memo of recent writes would hide the writes this test counts
        "surge.gateway.resilience.last-good.refresh-after=0s",
        // this test searches far faster than a person: the search limit is not what it is about
        "surge.gateway.rate-limit.limits.search.burst-capacity=1000"})
class LastGoodBudgetIT {

    private static final FakeCatalog CATALOG = FakeCatalog.start();

    @Autowired
    WebTestClient http;

    @Autowired
    ReactiveStringRedisTemplate redis;

    @Autowired
    RedisKeys keys;

    @Autowired
    RedisLastGoodResponses lastGood;

    @DynamicPropertySource
    static void upstream(DynamicPropertyRegistry registry) {
        registry.add("surge.services.catalog", CATALOG::url);
    }

    @AfterAll
    static void stopUpstream() {
        CATALOG.close();
    }

    @Test
    void randomParametersCreateNoNewCopies() {
        http.get().uri("/api/products/SKU-1").exchange().expectStatus().isOk();
        http.get().uri("/api/products/search?q=phone").exchange().expectStatus().isOk();
        // a copy is written once the answer has gone out
        await().untilAsserted(() -> assertThat(copies())
                .contains(keys.key("last-good", "/api/products/SKU-1"), keys.key("last-good", "/api/products/search?q=phone")));
        List<String> before = copies();

        for (int i = 0; i < 20; i++) {
            String random = UUID.randomUUID().toString();
            http.get().uri("/api/products/SKU-1?x=" + random).exchange().expectStatus().isOk();
            http.get().uri("/api/products/search?q=phone&page=0&size=20&" + random + "=1").exchange().expectStatus().isOk();
            http.get().uri("/api/products/search?q= phone &page=" + "9".repeat(40)).exchange().expectStatus().isOk();
        }

        // the copies these requests did write (the two known keys again) are written as their answers end
        http.get().uri("/api/products/SKU-2").exchange().expectStatus().isOk();
        await().untilAsserted(() -> assertThat(copies()).contains(keys.key("last-good", "/api/products/SKU-2")));
        assertThat(concat(before, keys.key("last-good", "/api/products/SKU-2"))).containsAll(copies());
    }

    @Test
    void neverKeepsMoreCopiesThanItsCount() {
        IntStream.range(0, 12).forEach(i -> http.get().uri("/api/products/COUNT-" + i).exchange().expectStatus().isOk());

        await().untilAsserted(() -> assertThat(copies())
                .contains(keys.key("last-good", "/api/products/COUNT-11"), keys.key("last-good", "/api/products/COUNT-10")));
        assertThat(copies()).hasSizeLessThanOrEqualTo(5);
        assertThat(books().block(Duration.ofSeconds(5))).isLessThanOrEqualTo(5);
    }

    @Test
    void neverKeepsMoreBytesThanItsBudget() {
        byte[] fourKilobytes = new byte[3 * 1024];
        for (int i = 0; i < 6; i++) {
            StepVerifier.create(lastGood.save(keys.key("last-good", "/images/big-" + i + ".png"),
                            new LastGoodResponse("image/png", Instant.now(), fourKilobytes)))
                    .verifyComplete();
        }

        List<String> kept = copies();
        long bytes = Flux.fromIterable(kept)
                .flatMap(key -> redis.opsForValue().get(key))
                .map(String::length)
                .reduce(0L, Long::sum)
                .block(Duration.ofSeconds(5));
        assertThat(bytes).isLessThanOrEqualTo(12 * 1024);
        // each copy is ~4 KB of JSON and base64: the newest two fit, the rest were dropped oldest first
        assertThat(kept).contains(keys.key("last-good", "/images/big-5.png"), keys.key("last-good", "/images/big-4.png"))
                .doesNotContain(keys.key("last-good", "/images/big-0.png"), keys.key("last-good", "/images/big-1.png"));
        assertThat(redis.opsForValue().get(keys.key("last-good-books", "bytes")).map(Long::parseLong).block())
                .isEqualTo(bytes);
    }

    private List<String> copies() {
        return redis.scan(ScanOptions.scanOptions().match(keys.key("last-good", "*")).count(1000).build())
                .collectList()
                .block(Duration.ofSeconds(5));
    }

    private static List<String> concat(List<String> list, String element) {
        return java.util.stream.Stream.concat(list.stream(), java.util.stream.Stream.of(element)).toList();
    }

    private reactor.core.publisher.Mono<Long> books() {
        return redis.opsForZSet().size(keys.key("last-good-books", "index"));
    }
}
