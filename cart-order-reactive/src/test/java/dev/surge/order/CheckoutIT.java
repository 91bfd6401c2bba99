package dev.surge.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.web.reactive.function.client.WebClient;

import dev.surge.events.EventCodec;
import dev.surge.events.Topics;
import dev.surge.events.ops.VitalSigns;
import dev.surge.messaging.VitalSignsPublisher;
import dev.surge.testsupport.Infrastructure;
import dev.surge.testsupport.IntegrationTest;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/** Checkout over real PostgreSQL and Kafka: stock never oversold, one order per key, nothing half-written. */
@IntegrationTest
class CheckoutIT extends ShopFixtures {


    @LocalServerPort
    int port;

    @BeforeAll
    void products() {
        product("CO-KETTLE", 3_499, 10);
        product("CO-CABLE", 1_299, 100);
        product("CO-HOT", 2_000, 50);
        product("CO-FEW", 500, 1);
        product("CO-PLUG", 1_299, 100);
    }

    @Autowired
    DatabaseClient database;

    @Autowired
    VitalSignsPublisher vitalSigns;

    @Autowired
    EventCodec codec;

    @Test
    void checkoutSessionsPlanOnceAndKeepTheirLimits() {
        StepVerifier.create(database.sql("""
                        SELECT current_setting('plan_cache_mode') AS plans, current_setting('statement_timeout') AS statement""")
                        .map(row -> row.get("plans", String.class) + " " + row.get("statement", String.class))
                        .one())
                .expectNext("force_generic_plan 5s")
                .verifyComplete();
    }

    @Test
    void placesAnOrderFromTheCartTakingStockEmptyingTheCartAndAnnouncingIt() throws SQLException {
        String shopper = identity.token("co-ada", Map.of("email", "ada@surge.test"));
        post("/api/cart/items", shopper).bodyValue("{\"sku\": \"CO-KETTLE\", \"quantity\": 2}").exchange().expectStatus().isOk();
        post("/api/cart/items", shopper).bodyValue("{\"sku\": \"CO-PLUG\", \"quantity\": 1}").exchange().expectStatus().isOk();
        // 2 × 34.99 + 12.99 = 82.97, free shipping in DE from 50.00
        String body = checkout(SHIP_TO, 8_297, null);

        String location = post("/api/orders", shopper).header("Idempotency-Key", "co-ada-1").bodyValue(body).exchange()
                .expectStatus().isCreated()
                .expectHeader().valueMatches(HttpHeaders.LOCATION, "/api/orders/[0-9a-f-]{36}")
                .expectBody()
                .jsonPath("$.status").isEqualTo("PENDING_PAYMENT")
                .jsonPath("$.version").isEqualTo(1)
                .jsonPath("$.lines.length()").isEqualTo(2)
                .jsonPath("$.subtotal.amount").isEqualTo(8_297)
                .jsonPath("$.shipping.amount").isEqualTo(0)
                .jsonPath("$.total.amount").isEqualTo(8_297)
                // 8297 × 19 / 119 = 1324.7
                .jsonPath("$.tax.amount").isEqualTo(1_325)
                .jsonPath("$.shipTo.city").isEqualTo("Berlin")
                .jsonPath("$.paymentAttempts[0].attempt").isEqualTo(1)
                .jsonPath("$.paymentAttempts[0].status").isEqualTo("REQUESTED")
                .jsonPath("$.timeline[0].status").isEqualTo("PENDING_PAYMENT")
                .returnResult()
                .getResponseHeaders()
                .getFirst(HttpHeaders.LOCATION);
        String orderId = location.substring(location.lastIndexOf('/') + 1);

        assertThat(scalar("SELECT available FROM stock WHERE sku = 'CO-KETTLE'")).isEqualTo("8");
        assertThat(scalar("SELECT available FROM stock WHERE sku = 'CO-PLUG'")).isEqualTo("99");
        assertThat(count("SELECT count(*) FROM cart_line WHERE user_id = 'co-ada'")).isZero();
        assertThat(scalar("SELECT string_agg(event_type, ',' ORDER BY id) FROM outbox_written WHERE aggregate_id = '" + orderId + "'"))
                .isEqualTo("OrderPlaced,PaymentRequested");
        // the payment method token travels on PaymentRequested only
        assertThat(scalar("SELECT envelope -> 'payload' ->> 'paymentToken' FROM outbox_written WHERE aggregate_id = '" + orderId
                + "' AND event_type = 'PaymentRequested'")).isEqualTo("tok_visa");
        assertThat(count("SELECT count(*) FROM outbox_written WHERE envelope::text LIKE '%tok_visa%' AND event_type <> 'PaymentRequested'"))
                .isZero();
        assertThat(scalar("SELECT envelope -> 'payload' ->> 'email' FROM outbox_written WHERE aggregate_id = '" + orderId
                + "' AND event_type = 'OrderPlaced'")).isEqualTo("ada@surge.test");
        assertThat(count("SELECT count(*) FROM outbox_written WHERE event_type = 'StockLevelChanged' AND topic = 'shop.inventory.v1' "
                + "AND (envelope -> 'payload' ->> 'reason') = 'ORDER_PLACED'")).isGreaterThanOrEqualTo(2);
        // each sku's newest event states the level, threshold and version its update left
        for (String sku : List.of("CO-KETTLE", "CO-PLUG")) {
            assertThat(scalar("""
                    SELECT concat_ws(' ', o.envelope -> 'payload' ->> 'available', o.envelope -> 'payload' ->> 'lowStockThreshold',
                                     o.envelope ->> 'aggregateVersion', o.envelope ->> 'aggregateId', o.envelope -> 'payload' ->> 'sku')
                    FROM outbox_written o WHERE o.event_type = 'StockLevelChanged' AND o.aggregate_id = '%s'
                    ORDER BY o.id DESC LIMIT 1""".formatted(sku)))
                    .isEqualTo(scalar("SELECT concat_ws(' ', available, low_stock_threshold, version, sku, sku) FROM stock WHERE sku = '"
                            + sku + "'"));
        }

        http.get().uri(location).header(HttpHeaders.AUTHORIZATION, "Bearer " + shopper).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.id").isEqualTo(orderId).jsonPath("$.lines[0].sku").isEqualTo("CO-KETTLE");
        http.get().uri("/api/orders").header(HttpHeaders.AUTHORIZATION, "Bearer " + shopper).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.items[0].id").isEqualTo(orderId).jsonPath("$.total").isEqualTo(1);
        // another shopper's order answers exactly like an unknown one
        String other = identity.shopperToken("co-mallory");
        byte[] foreign = http.get().uri(location).header(HttpHeaders.AUTHORIZATION, "Bearer " + other).exchange()
                .expectStatus().isNotFound().expectBody().returnResult().getResponseBody();
        byte[] unknown = http.get().uri("/api/orders/{id}", UUID.randomUUID()).header(HttpHeaders.AUTHORIZATION, "Bearer " + other)
                .exchange().expectStatus().isNotFound().expectBody().returnResult().getResponseBody();
        assertThat(new String(foreign).replace(orderId, "ID")).isEqualTo(new String(unknown).replaceAll("[0-9a-f-]{36}", "ID"));
    }

    @Test
    void aReplayWithTheSameKeyAnswersTheSameOrderAndAnotherBodyIsRefused() throws SQLException {
        String shopper = identity.shopperToken("co-ben");
        String body = buyNow("CO-CABLE", 1, 1_299 + 495);
        String first = post("/api/orders", shopper).header("Idempotency-Key", "co-ben-1").bodyValue(body).exchange()
                .expectStatus().isCreated().expectBody(String.class).returnResult().getResponseBody();
        String again = post("/api/orders", shopper).header("Idempotency-Key", "co-ben-1").bodyValue(body).exchange()
                .expectStatus().isCreated()
                .expectHeader().valueEquals("Idempotent-Replayed", "true")
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(json(again)).isEqualTo(json(first));
        post("/api/orders", shopper).header("Idempotency-Key", "co-ben-1").bodyValue(buyNow("CO-CABLE", 2, 2 * 1_299 + 495))
                .exchange()
                .expectStatus().isEqualTo(422)
                .expectBody().jsonPath("$.type").isEqualTo("https://surge.dev/problems/idempotency-key-reused");
        // keys are per shopper: the same key from someone else is their own first request
        post("/api/orders", identity.shopperToken("co-cat")).header("Idempotency-Key", "co-ben-1").bodyValue(body).exchange()
                .expectStatus().isCreated().expectHeader().doesNotExist("Idempotent-Replayed");
        post("/api/orders", shopper).bodyValue(body).exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.type").isEqualTo("https://surge.dev/problems/idempotency-key-required");
        assertThat(count("SELECT count(*) FROM orders WHERE user_id = 'co-ben'")).isEqualTo(1);
    }

    @Test
    void twentyConcurrentRequestsWithOneKeyPlaceOneOrder() throws SQLException {
        String shopper = identity.shopperToken("co-dan");
        String body = buyNow("CO-CABLE", 1, 1_299 + 495);
        Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
        WebClient client = WebClient.create("http://127.0.0.1:" + port);
        StepVerifier.create(Flux.range(0, 20)
                        .flatMap(i -> client.post().uri("/api/orders")
                                .header(HttpHeaders.AUTHORIZATION, "Bearer " + shopper)
                                .header("Idempotency-Key", "co-dan-1")
                                .contentType(MediaType.APPLICATION_JSON)
                                .bodyValue(body)
                                .exchangeToMono(response -> response.releaseBody().thenReturn(response.statusCode().value())), 20)
                        .doOnNext(status -> statuses.merge(status, 1, Integer::sum)))
                .expectNextCount(20)
                .expectComplete()
                .verify(Duration.ofSeconds(60));
        assertThat(statuses.keySet()).isSubsetOf(201, 409);
        assertThat(statuses).containsKey(201);
        assertThat(count("SELECT count(*) FROM orders WHERE user_id = 'co-dan'")).isEqualTo(1);
    }

    @Test
    void twoHundredShoppersForFiftyUnitsGetExactlyFiftyOrders() throws SQLException {
        WebClient client = WebClient.create("http://127.0.0.1:" + port);
        List<String> tokens = IntStream.range(0, 200).mapToObj(i -> identity.shopperToken("co-rush-" + i)).toList();
        Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
        StepVerifier.create(Flux.range(0, 200)
                        .flatMap(i -> client.post().uri("/api/orders")
                                .header(HttpHeaders.AUTHORIZATION, "Bearer " + tokens.get(i))
                                .header("Idempotency-Key", "rush-" + i)
                                .contentType(MediaType.APPLICATION_JSON)
                                .bodyValue(buyNow("CO-HOT", 1, 2_000 + 495))
                                .exchangeToMono(response -> response.releaseBody().thenReturn(response.statusCode().value())), 64)
                        .doOnNext(status -> statuses.merge(status, 1, Integer::sum)))
                .expectNextCount(200)
                .expectComplete()
                .verify(Duration.ofSeconds(120));
        assertThat(statuses).as("statuses answered").containsOnlyKeys(201, 409).containsEntry(201, 50).containsEntry(409, 150);
        assertThat(scalar("SELECT available FROM stock WHERE sku = 'CO-HOT'")).isEqualTo("0");
        assertThat(count("SELECT coalesce(sum(l.quantity), 0) FROM order_line l WHERE l.sku = 'CO-HOT'")).isEqualTo(50);
        assertThat(count("SELECT count(*) FROM orders WHERE user_id LIKE 'co-rush-%'")).isEqualTo(50);
        // ops see the refusals in cart-order's vital signs (other tests here refuse for stock too)
        assertThat(reportedStockRefusals(150)).isGreaterThanOrEqualTo(150);
    }

    /** The out-of-stock refusals this instance reported on the ops topic so far, once at least {@code expected} came. */
    private long reportedStockRefusals(long expected) {
        long[] reported = { 0 };
        try (KafkaConsumer<String, byte[]> ops = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, Infrastructure.kafka().bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "assert-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
            ops.subscribe(List.of(isolation.topic(Topics.OPS)));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<String, byte[]> record : ops.poll(Duration.ofMillis(200))) {
                    if (record.key().equals(vitalSigns.instance())) {
                        VitalSigns signs = (VitalSigns) codec.decode("VitalSigns", 1, record.value()).payload();
                        reported[0] += signs.counts().getOrDefault("outOfStockRefusals", 0L);
                    }
                }
                return reported[0] >= expected;
            });
        }
        return reported[0];
    }

    @Test
    void whatCannotBeOrderedIsAProblemAndNothingIsWritten() throws SQLException {
        String shopper = identity.shopperToken("co-eve");
        long ordersBefore = count("SELECT count(*) FROM orders");
        long outboxBefore = count("SELECT count(*) FROM outbox_written");
        post("/api/orders", shopper).header("Idempotency-Key", "co-eve-1").bodyValue(buyNow("CO-FEW", 2, 2 * 500 + 495)).exchange()
                .expectStatus().isEqualTo(409)
                .expectBody()
                .jsonPath("$.type").isEqualTo("https://surge.dev/problems/out-of-stock")
                .jsonPath("$.sku").isEqualTo("CO-FEW")
                .jsonPath("$.available").isEqualTo(1);
        post("/api/orders", shopper).header("Idempotency-Key", "co-eve-2").bodyValue(buyNow("CO-KETTLE", 1, 3_000)).exchange()
                .expectStatus().isEqualTo(409)
                .expectBody()
                .jsonPath("$.type").isEqualTo("https://surge.dev/problems/price-changed")
                .jsonPath("$.total.amount").isEqualTo(3_499 + 495)
                .jsonPath("$.lines[0].sku").isEqualTo("CO-KETTLE");
        post("/api/orders", shopper).header("Idempotency-Key", "co-eve-3").bodyValue(checkout(SHIP_TO, 0, null)).exchange()
                .expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.type").isEqualTo("https://surge.dev/problems/cart-empty");
        post("/api/orders", shopper).header("Idempotency-Key", "co-eve-4").bodyValue(buyNow("CO-NOPE", 1, 100)).exchange()
                .expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.type").isEqualTo("https://surge.dev/problems/product-unavailable");
        for (String quantity : List.of("0", "-3", "11", "99999999999")) {
            post("/api/orders", shopper).header("Idempotency-Key", "co-eve-q" + quantity)
                    .bodyValue("{\"address\": " + SHIP_TO + ", \"paymentMethod\": \"tok_visa\", \"expectedTotal\": "
                            + "{\"amount\": 1, \"currency\": \"EUR\"}, \"lines\": [{\"sku\": \"CO-CABLE\", \"quantity\": " + quantity + "}]}")
                    .exchange()
                    .expectStatus().isBadRequest()
                    .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        }
        post("/api/orders", shopper).header("Idempotency-Key", "co-eve-5")
                .bodyValue("{\"address\": {\"city\": \"\", \"countryCode\": \"XX\"}, \"paymentMethod\": \"\", \"userId\": \"co-ada\"}")
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody()
                .jsonPath("$.errors[*].field").value(fields -> assertThat((List<String>) fields)
                        .contains("paymentMethod", "expectedTotal", "userId"));
        post("/api/orders", shopper).header("Idempotency-Key", "co-eve-6")
                .bodyValue("{\"address\": {\"city\": \"\", \"countryCode\": \"XX\"}, \"paymentMethod\": \"tok_visa\", "
                        + "\"expectedTotal\": {\"amount\": 1, \"currency\": \"EUR\"}, \"lines\": [{\"sku\": \"CO-CABLE\", \"quantity\": 1}]}")
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody()
                .jsonPath("$.errors[*].field").value(fields -> assertThat((List<String>) fields)
                        .contains("address.recipientName", "address.city", "address.countryCode"));
        post("/api/orders", shopper).header("Idempotency-Key", "co-eve-7").bodyValue("{\"paymentMethod\": ").exchange()
                .expectStatus().isBadRequest();
        http.post().uri("/api/orders").header(HttpHeaders.AUTHORIZATION, "Bearer " + shopper).header("Idempotency-Key", "co-eve-8")
                .contentType(MediaType.TEXT_PLAIN).bodyValue("order please").exchange()
                .expectStatus().isEqualTo(415);
        post("/api/orders", shopper).header("Idempotency-Key", "co-eve-9")
                .bodyValue("{\"paymentMethod\": \"" + "x".repeat(1_100_000) + "\"}").exchange()
                .expectStatus().value(status -> assertThat(status).isIn(400, 413));

        assertThat(count("SELECT count(*) FROM orders")).isEqualTo(ordersBefore);
        assertThat(count("SELECT count(*) FROM outbox_written")).isEqualTo(outboxBefore);
        assertThat(count("SELECT count(*) FROM idempotency_key WHERE user_id = 'co-eve'")).isZero();
        assertThat(scalar("SELECT available FROM stock WHERE sku = 'CO-FEW'")).isEqualTo("1");
    }

    @Test
    void buyNowLeavesTheCartAsItIs() throws SQLException {
        String shopper = identity.shopperToken("co-fay");
        post("/api/cart/items", shopper).bodyValue("{\"sku\": \"CO-KETTLE\", \"quantity\": 1}").exchange().expectStatus().isOk();
        post("/api/orders", shopper).header("Idempotency-Key", "co-fay-1").bodyValue(buyNow("CO-CABLE", 2, 2 * 1_299 + 495))
                .exchange()
                .expectStatus().isCreated();
        assertThat(scalar("SELECT string_agg(sku || ':' || quantity, ',') FROM cart_line WHERE user_id = 'co-fay'"))
                .isEqualTo("CO-KETTLE:1");
    }

    @Test
    void aQuotePricesABuyNowOrTheCartAsCheckoutWouldAndWritesNothing() throws SQLException {
        String shopper = identity.shopperToken("co-gil");
        long ordersBefore = count("SELECT count(*) FROM orders");
        long outboxBefore = count("SELECT count(*) FROM outbox_written");
        // two cables to Germany: under the free-shipping threshold, so shipping is added
        post("/api/orders/quote", shopper)
                .bodyValue("{\"address\": " + SHIP_TO + ", \"lines\": [{\"sku\": \"CO-CABLE\", \"quantity\": 2}]}")
                .exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.lines[0].sku").isEqualTo("CO-CABLE")
                .jsonPath("$.lines[0].quantity").isEqualTo(2)
                .jsonPath("$.subtotal.amount").isEqualTo(2 * 1_299)
                .jsonPath("$.shipping.amount").isEqualTo(495)
                .jsonPath("$.total.amount").isEqualTo(2 * 1_299 + 495)
                .jsonPath("$.country").isEqualTo("DE");
        assertThat(count("SELECT count(*) FROM orders")).isEqualTo(ordersBefore);
        assertThat(count("SELECT count(*) FROM outbox_written")).isEqualTo(outboxBefore);
        assertThat(scalar("SELECT available FROM stock WHERE sku = 'CO-CABLE'")).isEqualTo("100");
        // the total quoted is the one checkout takes: no price-changed round trip
        post("/api/orders", shopper).header("Idempotency-Key", "co-gil-1").bodyValue(buyNow("CO-CABLE", 2, 2 * 1_299 + 495))
                .exchange()
                .expectStatus().isCreated()
                .expectBody().jsonPath("$.total.amount").isEqualTo(2 * 1_299 + 495);

        // without lines, the cart; a bad body is named field by field, an unknown sku as checkout says it
        post("/api/cart/items", shopper).bodyValue("{\"sku\": \"CO-KETTLE\", \"quantity\": 1}").exchange().expectStatus().isOk();
        post("/api/orders/quote", shopper).bodyValue("{\"address\": " + SHIP_TO + "}").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.lines[0].sku").isEqualTo("CO-KETTLE").jsonPath("$.subtotal.amount").isEqualTo(3_499);
        post("/api/orders/quote", shopper).bodyValue("{\"lines\": [{\"sku\": \"CO-CABLE\", \"quantity\": 0}]}").exchange()
                .expectStatus().isBadRequest()
                .expectBody()
                .jsonPath("$.errors[?(@.field == 'addressId')]").exists()
                .jsonPath("$.errors[?(@.field == 'lines[0].quantity')]").exists()
                .jsonPath("$.errors[?(@.field == 'paymentMethod')]").doesNotExist();
        post("/api/orders/quote", shopper)
                .bodyValue("{\"address\": " + SHIP_TO + ", \"lines\": [{\"sku\": \"CO-NOPE\", \"quantity\": 1}]}")
                .exchange()
                .expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.type").isEqualTo("https://surge.dev/problems/product-unavailable");
    }

    private static Object json(String body) {
        return new tools.jackson.databind.json.JsonMapper().readTree(body);
    }
}
