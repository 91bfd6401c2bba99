package dev.surge.gateway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetSocketAddress;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.surge.gateway.FakeCatalog;
import dev.surge.testsupport.Infrastructure;
import dev.surge.testsupport.IntegrationTest;
import dev.surge.testsupport.TcpProxy;
import reactor.netty.http.client.HttpClient;

/**
 * The per-client limit on search, over a real Redis reached through a {@link TcpProxy} the test
 * cuts to show the Redis-down policy: searches go on unchecked (fail open). Each test is a
 * different client, from its own loopback source address, so the buckets never mix.
 */
@IntegrationTest(database = false, kafka = false)
// a token back every 5 s: the four requests that drain a bucket have that long, even on two busy cores
@TestPropertySource(properties = {
        "surge.gateway.rate-limit.limits.search.burst-capacity=3",
        "surge.gateway.rate-limit.limits.search.replenish-per-second=0.2",
        "surge.gateway.rate-limit.limits.sign-in.burst-capacity=3",
        "surge.gateway.rate-limit.limits.sign-in.replenish-per-second=0.2",
        "surge.gateway.rate-limit.limits.prices.burst-capacity=3",
        "surge.gateway.rate-limit.limits.prices.replenish-per-second=0.2",
        "surge.gateway.rate-limit.limits.join.burst-capacity=3",
        "surge.gateway.rate-limit.limits.join.replenish-per-second=0.2"})
class SearchRateLimitIT {

    private static final FakeCatalog CATALOG = FakeCatalog.start();

    private static final TcpProxy REDIS = TcpProxy.between(Infrastructure.redis().host(), Infrastructure.redis().port());

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void upstreams(DynamicPropertyRegistry registry) {
        registry.add("surge.services.catalog", CATALOG::url);
        registry.add("surge.services.cart-order", () -> "http://127.0.0.1:1");
        // a URL wins over the host and port the shared test support sets
        registry.add("spring.data.redis.url", () -> "redis://127.0.0.1:" + REDIS.port());
    }

    /**
     * The proxy stays up: the context closes after this, and a Redis gone first would have Lettuce
     * reconnecting into an event loop being shut down. Its threads are daemons.
     */
    @AfterAll
    static void stop() {
        CATALOG.close();
    }

    @Test
    void refusesSearchesOverTheClientsBurstWithATooManyRequestsProblem() {
        WebTestClient shopper = clientFrom("127.0.0.2");
        search(shopper).expectStatus().isOk()
                .expectHeader().valueEquals(LimitRequestRateGatewayFilterFactory.REMAINING_HEADER, "2");
        search(shopper).expectStatus().isOk();
        search(shopper).expectStatus().isOk();

        // a token comes back every 5 s, so the wait is at most 5 s
        search(shopper)
                .expectStatus().isEqualTo(HttpStatus.TOO_MANY_REQUESTS)
                .expectHeader().value(HttpHeaders.RETRY_AFTER,
                        retryAfter -> assertThat(Integer.parseInt(retryAfter)).isBetween(1, 5))
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type").isEqualTo("https://surge.dev/problems/too-many-requests")
                .jsonPath("$.title").isEqualTo("Too Many Requests")
                .jsonPath("$.status").isEqualTo(429)
                .jsonPath("$.limit").isEqualTo("search")
                .jsonPath("$.instance").isEqualTo("/api/products/search");

        // another client has its own bucket, and other catalog paths are not limited
        search(clientFrom("127.0.0.3")).expectStatus().isOk();
        shopper.get().uri("/api/products/SKU-1").exchange().expectStatus().isOk();
        // the bucket refills: after Retry-After the shopper may search again (a refused search costs nothing)
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> search(shopper).expectStatus().isOk());
    }

    @Test
    void refusesSignInStartsOverTheClientsBurst() {
        WebTestClient flood = clientFrom("127.0.0.6");
        for (int i = 0; i < 3; i++) {
            flood.get().uri("/oauth2/authorization/surge").exchange().expectStatus().isFound();
        }
        flood.get().uri("/oauth2/authorization/surge").exchange()
                .expectStatus().isEqualTo(HttpStatus.TOO_MANY_REQUESTS)
                .expectHeader().exists(HttpHeaders.RETRY_AFTER)
                .expectHeader().doesNotExist(HttpHeaders.SET_COOKIE)
                .expectBody()
                .jsonPath("$.type").isEqualTo("https://surge.dev/problems/too-many-requests")
                .jsonPath("$.limit").isEqualTo("sign-in");
        clientFrom("127.0.0.7").get().uri("/oauth2/authorization/surge").exchange().expectStatus().isFound();
    }

    @Test
    void refusesGuestCartPricingsOverTheClientsBurst() {
        WebTestClient guest = clientFrom("127.0.0.8");
        // nothing answers for cart-order in this class: an allowed request is its 503, a refused one never gets there
        for (int i = 0; i < 3; i++) {
            pricing(guest).expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        }
        pricing(guest)
                .expectStatus().isEqualTo(HttpStatus.TOO_MANY_REQUESTS)
                .expectHeader().exists(HttpHeaders.RETRY_AFTER)
                .expectBody()
                .jsonPath("$.type").isEqualTo("https://surge.dev/problems/too-many-requests")
                .jsonPath("$.limit").isEqualTo("prices");
    }

    @Test
    void refusesFlashSaleJoinsOverTheShoppersBurstWhateverTheirAddress() {
        // nothing answers for cart-order in this class: an allowed join is its 503, a refused one never gets there
        for (int i = 0; i < 3; i++) {
            join(clientFrom("127.0.0.9"), "jo").expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        }
        // counted against the shopper, not the address: another address does not start a new bucket
        join(clientFrom("127.0.0.10"), "jo")
                .expectStatus().isEqualTo(HttpStatus.TOO_MANY_REQUESTS)
                .expectHeader().exists(HttpHeaders.RETRY_AFTER)
                .expectBody()
                .jsonPath("$.type").isEqualTo("https://surge.dev/problems/too-many-requests")
                .jsonPath("$.limit").isEqualTo("join");
        // and another shopper from the same address has a bucket of their own
        join(clientFrom("127.0.0.10"), "jay").expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
    }

    @Test
    void letsSearchesThroughUncheckedWhileRedisIsAway() {
        WebTestClient shopper = clientFrom("127.0.0.4");
        REDIS.cut();
        try {
            // past the burst of 3: unchecked, not refused (how long an unchecked request may wait on Redis
            // is RedisTokenBucketTests' business, on virtual time)
            for (int i = 0; i < 6; i++) {
                search(shopper).expectStatus().isOk()
                        .expectHeader().doesNotExist(LimitRequestRateGatewayFilterFactory.REMAINING_HEADER);
            }
            // keeping the last good answer fails too, and costs the shopper nothing
            shopper.get().uri("/api/products/SKU-2").exchange().expectStatus().isOk();
        }
        finally {
            REDIS.restore();
        }

        WebTestClient later = clientFrom("127.0.0.5");
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> search(later)
                .expectStatus().isOk()
                .expectHeader().exists(LimitRequestRateGatewayFilterFactory.REMAINING_HEADER));
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> search(later)
                .expectStatus().isEqualTo(HttpStatus.TOO_MANY_REQUESTS));
    }

    /** With a shopper's token until guests may price a cart without one at the edge's security chain. */
    private static WebTestClient.ResponseSpec pricing(WebTestClient client) {
        return client.post().uri("/api/cart/prices")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + Infrastructure.identityProvider().shopperToken("gus"))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"items\":[]}")
                .exchange();
    }

    private static WebTestClient.ResponseSpec join(WebTestClient client, String shopper) {
        return client.post().uri("/api/flash-sales/SKU-1/queue")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + Infrastructure.identityProvider().shopperToken(shopper))
                .exchange();
    }

    private static WebTestClient.ResponseSpec search(WebTestClient client) {
        return client.get().uri("/api/products/search?q=headphones").exchange();
    }

    private WebTestClient clientFrom(String sourceAddress) {
        HttpClient from = HttpClient.create().bindAddress(() -> new InetSocketAddress(sourceAddress, 0));
        return WebTestClient.bindToServer(new ReactorClientHttpConnector(from))
                .baseUrl("http://127.0.0.1:" + port)
                .build();
    }
}
