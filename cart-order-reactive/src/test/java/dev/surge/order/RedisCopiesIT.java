package dev.surge.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.surge.events.EventEnvelope;
import dev.surge.events.fulfilment.PaymentFailed;
import dev.surge.order.copies.CopiesProperties;
import dev.surge.testsupport.IntegrationTest;
import dev.surge.testsupport.TcpProxy;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.test.StepVerifier;

/**
 * The Redis copies of carts and orders over real Redis: served (proved by changing the rows
 * underneath in SQL and still seeing the copy), replaced or dropped on every change, never served
 * stale for a cart, and with Redis cut every read and change is answered from PostgreSQL. Order
 * copies live 10 minutes here, so only an eviction can make a change show within the test.
 */
@IntegrationTest(redisThroughProxy = true)
@TestPropertySource(properties = "surge.copies.orders-ttl=10m")
class RedisCopiesIT extends ShopFixtures {

    @Autowired
    TcpProxy redisProxy;

    @Autowired
    ReactiveStringRedisTemplate redis;

    @Autowired
    CopiesProperties copies;

    @Autowired
    MeterRegistry meters;

    @BeforeAll
    void products() {
        product("RC-MUG", 1_000, 20);
        product("RC-PEN", 250, 20);
        product("RC-LAMP", 6_000, 20);
    }

    @Test
    void theCartViewTakesItsLinesFromTheCopyWhileTheCartVersionIsUnchanged() throws SQLException {
        String shopper = identity.shopperToken("rc-ada");
        post("/api/cart/items", shopper).bodyValue("{\"sku\": \"RC-MUG\", \"quantity\": 2}").exchange().expectStatus().isOk();
        assertThat(copy("cart:rc-ada")).startsWith("1|");

        // underneath, without a new version: the view still shows the copy's lines
        execute("UPDATE cart_line SET quantity = 7 WHERE user_id = 'rc-ada'");
        double hits = reads("cart", "hit");
        cart(shopper).jsonPath("$.lines[0].quantity").isEqualTo(2).jsonPath("$.version").isEqualTo(1);
        assertThat(reads("cart", "hit")).isEqualTo(hits + 1);

        // a change made in SQL that bumps the version (as checkout's emptying does): the copy is never served again
        execute("UPDATE cart SET version = version + 1 WHERE user_id = 'rc-ada'");
        double stale = reads("cart", "stale");
        cart(shopper).jsonPath("$.lines[0].quantity").isEqualTo(7).jsonPath("$.version").isEqualTo(2);
        assertThat(reads("cart", "stale")).isEqualTo(stale + 1);
        assertThat(copy("cart:rc-ada")).startsWith("2|").contains("\"quantity\":7");
    }

    @Test
    void everyCartChangeReplacesTheCopyAndCheckoutDropsIt() throws SQLException {
        String shopper = identity.shopperToken("rc-bea");
        post("/api/cart/items", shopper).bodyValue("{\"sku\": \"RC-MUG\", \"quantity\": 1}").exchange().expectStatus().isOk();
        assertCopyIsCurrent("rc-bea", "RC-MUG", 1);
        http.patch().uri("/api/cart/items/RC-MUG").header(HttpHeaders.AUTHORIZATION, "Bearer " + shopper)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"quantity\": 3}").exchange()
                .expectStatus().isOk();
        assertCopyIsCurrent("rc-bea", "RC-MUG", 3);
        post("/api/cart/items", shopper).bodyValue("{\"sku\": \"RC-PEN\", \"quantity\": 1}").exchange().expectStatus().isOk();
        http.delete().uri("/api/cart/items/RC-MUG").header(HttpHeaders.AUTHORIZATION, "Bearer " + shopper).exchange()
                .expectStatus().isOk();
        assertCopyIsCurrent("rc-bea", "RC-PEN", 1);
        assertThat(copy("cart:rc-bea")).doesNotContain("RC-MUG");
        post("/api/cart/merge", shopper).bodyValue("{\"lines\": [{\"sku\": \"RC-LAMP\", \"quantity\": 1}]}").exchange()
                .expectStatus().isOk();
        assertCopyIsCurrent("rc-bea", "RC-LAMP", 1);
        http.delete().uri("/api/cart/items/RC-PEN").header(HttpHeaders.AUTHORIZATION, "Bearer " + shopper).exchange()
                .expectStatus().isOk();

        // 60.00, free shipping in DE; checkout empties the cart in SQL and bumps its version: whether or not
        // the copy was dropped after the commit, the lamp is never shown again
        post("/api/orders", shopper).header("Idempotency-Key", "rc-bea-1").bodyValue(checkout(SHIP_TO, 6_000, null)).exchange()
                .expectStatus().isCreated();
        double hits = reads("cart", "hit");
        cart(shopper).jsonPath("$.lines.length()").isEqualTo(0);
        assertThat(reads("cart", "hit")).isEqualTo(hits);
        assertThat(copy("cart:rc-bea")).startsWith(scalar("SELECT version FROM cart WHERE user_id = 'rc-bea'") + "|");
    }

    @Test
    void myOrdersAndEachOrderAreServedFromCopiesUntilOneOfMyOrdersChanges() throws SQLException {
        String shopper = identity.shopperToken("rc-cem");
        UUID order = buyLamp(shopper, "rc-cem-1");
        orders(shopper).jsonPath("$.items[0].status").isEqualTo("PENDING_PAYMENT");
        order(shopper, order).jsonPath("$.status").isEqualTo("PENDING_PAYMENT");

        // underneath, with no eviction: both copies are served
        execute("UPDATE orders SET status = 'CONFIRMED' WHERE id = '" + order + "'");
        double listHits = reads("orders", "hit");
        double orderHits = reads("order", "hit");
        orders(shopper).jsonPath("$.items[0].status").isEqualTo("PENDING_PAYMENT");
        order(shopper, order).jsonPath("$.status").isEqualTo("PENDING_PAYMENT");
        assertThat(reads("orders", "hit")).isEqualTo(listHits + 1);
        assertThat(reads("order", "hit")).isEqualTo(orderHits + 1);
        execute("UPDATE orders SET status = 'PENDING_PAYMENT' WHERE id = '" + order + "'");

        // another shopper meets no copy: the same 404 as an unknown id, and an empty list
        String other = identity.shopperToken("rc-eve");
        http.get().uri("/api/orders/{id}", order).header(HttpHeaders.AUTHORIZATION, "Bearer " + other).exchange()
                .expectStatus().isNotFound()
                .expectBody().jsonPath("$.type").isEqualTo("https://surge.dev/problems/order-not-found");
        orders(other).jsonPath("$.total").isEqualTo(0);

        // the payment consumer's change drops the copies once it commits
        StepVerifier.create(events.publish(EventEnvelope.of(order.toString(), 1,
                new PaymentFailed(order, 1, "CARD_DECLINED", "Do not honor")))).verifyComplete();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(scalar("SELECT status FROM orders WHERE id = '" + order + "'")).isEqualTo("PAYMENT_FAILED"));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            order(shopper, order).jsonPath("$.status").isEqualTo("PAYMENT_FAILED");
            orders(shopper).jsonPath("$.items[0].status").isEqualTo("PAYMENT_FAILED");
        });

        // a cancel drops them before it answers
        http.post().uri("/api/orders/{id}/cancel", order).header(HttpHeaders.AUTHORIZATION, "Bearer " + shopper).exchange()
                .expectStatus().isOk();
        order(shopper, order).jsonPath("$.status").isEqualTo("CANCELLED");
        orders(shopper).jsonPath("$.items[0].status").isEqualTo("CANCELLED");
        // a page that is not copied (a size the shop does not ask for) is read from PostgreSQL every time
        assertThat(redis.opsForHash().keys(copies.keyPrefix() + "orders:rc-cem").collectList().block(Duration.ofSeconds(5)))
                .containsExactly("0:20");
        http.get().uri("/api/orders?size=7").header(HttpHeaders.AUTHORIZATION, "Bearer " + shopper).exchange()
                .expectStatus().isOk();
        assertThat(redis.opsForHash().keys(copies.keyPrefix() + "orders:rc-cem").collectList().block(Duration.ofSeconds(5)))
                .containsExactly("0:20");
    }

    @Test
    void withRedisCutCartsAndOrdersAreServedAndChangedFromPostgresql() throws SQLException {
        String shopper = identity.shopperToken("rc-dan");
        post("/api/cart/items", shopper).bodyValue("{\"sku\": \"RC-PEN\", \"quantity\": 1}").exchange().expectStatus().isOk();
        UUID order = buyLamp(shopper, "rc-dan-1");
        cart(shopper).jsonPath("$.lines[0].quantity").isEqualTo(1);
        orders(shopper).jsonPath("$.items[0].id").isEqualTo(order.toString());
        order(shopper, order).jsonPath("$.status").isEqualTo("PENDING_PAYMENT");
        double unavailable = reads("cart", "unavailable") + reads("orders", "unavailable") + reads("order", "unavailable");

        redisProxy.cut();
        try {
            cart(shopper).jsonPath("$.lines[0].quantity").isEqualTo(1);
            http.patch().uri("/api/cart/items/RC-PEN").header(HttpHeaders.AUTHORIZATION, "Bearer " + shopper)
                    .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"quantity\": 4}").exchange()
                    .expectStatus().isOk()
                    .expectBody().jsonPath("$.lines[0].quantity").isEqualTo(4);
            cart(shopper).jsonPath("$.lines[0].quantity").isEqualTo(4);
            orders(shopper).jsonPath("$.items[0].status").isEqualTo("PENDING_PAYMENT");
            http.post().uri("/api/orders/{id}/cancel", order).header(HttpHeaders.AUTHORIZATION, "Bearer " + shopper).exchange()
                    .expectStatus().isOk()
                    .expectBody().jsonPath("$.status").isEqualTo("CANCELLED");
            order(shopper, order).jsonPath("$.status").isEqualTo("CANCELLED");
            assertThat(reads("cart", "unavailable") + reads("orders", "unavailable") + reads("order", "unavailable"))
                    .isGreaterThanOrEqualTo(unavailable + 4);
        }
        finally {
            redisProxy.restore();
        }
        // the copy from before the cut holds the old version and one pen: once Redis answers again it is
        // refused as stale, never served
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
            assertThat(copy("cart:rc-dan")).contains("\"quantity\":1");
            double stale = reads("cart", "stale");
            cart(shopper).jsonPath("$.lines[0].quantity").isEqualTo(4);
            assertThat(reads("cart", "stale")).isEqualTo(stale + 1);
        });
        assertThat(copy("cart:rc-dan")).contains("\"quantity\":4");
        // the cancel's eviction, missed while Redis was away, is retried once it is back: the copies
        // from before the cut (which would live 10 minutes here) are gone
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() -> {
            order(shopper, order).jsonPath("$.status").isEqualTo("CANCELLED");
            orders(shopper).jsonPath("$.items[0].status").isEqualTo("CANCELLED");
        });
        assertThat(meters.get("surge.copies.evictions.missed").gauge().value()).isZero();
    }

    private void assertCopyIsCurrent(String userId, String sku, int quantity) throws SQLException {
        String version = scalar("SELECT version FROM cart WHERE user_id = '" + userId + "'");
        assertThat(copy("cart:" + userId)).startsWith(version + "|").contains("\"sku\":\"" + sku + "\",\"quantity\":" + quantity);
        double hits = reads("cart", "hit");
        cart(identity.shopperToken(userId)).jsonPath("$.version").isEqualTo(Integer.parseInt(version));
        assertThat(reads("cart", "hit")).isEqualTo(hits + 1);
    }

    private UUID buyLamp(String shopper, String key) {
        Map<?, ?> placed = post("/api/orders", shopper).header("Idempotency-Key", key)
                .bodyValue(buyNow("RC-LAMP", 1, 6_000)).exchange()
                .expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody();
        return UUID.fromString((String) placed.get("id"));
    }

    private WebTestClient.BodyContentSpec cart(String token) {
        return http.get().uri("/api/cart").header(HttpHeaders.AUTHORIZATION, "Bearer " + token).exchange()
                .expectStatus().isOk()
                .expectBody();
    }

    private WebTestClient.BodyContentSpec orders(String token) {
        return http.get().uri("/api/orders").header(HttpHeaders.AUTHORIZATION, "Bearer " + token).exchange()
                .expectStatus().isOk()
                .expectBody();
    }

    private WebTestClient.BodyContentSpec order(String token, UUID id) {
        return http.get().uri("/api/orders/{id}", id).header(HttpHeaders.AUTHORIZATION, "Bearer " + token).exchange()
                .expectStatus().isOk()
                .expectBody();
    }

    private String copy(String key) {
        return redis.opsForValue().get(copies.keyPrefix() + key).block(Duration.ofSeconds(5));
    }

    private double reads(String cache, String result) {
        Counter counter = meters.find("surge.copies.reads").tags("cache", cache, "result", result).counter();
        return counter == null ? 0 : counter.count();
    }
}
