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

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;

import dev.surge.events.Event;
import dev.surge.events.EventEnvelope;
import dev.surge.events.Money;
import dev.surge.events.fulfilment.OrderAllocated;
import dev.surge.events.fulfilment.OrderDelivered;
import dev.surge.events.fulfilment.OrderShipped;
import dev.surge.events.fulfilment.PaymentFailed;
import dev.surge.events.fulfilment.PaymentSucceeded;
import dev.surge.testsupport.IntegrationTest;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** The order after checkout: payment outcomes, retries, cancels, timeouts and fulfilment, each exactly once. */
@IntegrationTest
@TestPropertySource(properties = "surge.orders.sweep-interval=300ms")
class OrderLifecycleIT extends ShopFixtures {


    @LocalServerPort
    int port;

    @BeforeAll
    void products() {
        product("LC-PAID", 10_000, 10);
        product("LC-FAIL", 10_000, 10);
        product("LC-CANCEL", 10_000, 10);
        product("LC-LATE", 10_000, 10);
        product("LC-SHIP", 10_000, 10);
        product("LC-TIME", 10_000, 10);
        product("LC-TIME-A", 500, 50);
        product("LC-TIME-B", 500, 50);
        product("LC-RUSH", 1_000, 30);
        product("LC-EARLY", 10_000, 10);
        product("LC-EARLY-ALL", 10_000, 10);
        product("LC-EARLY-CANCEL", 10_000, 10);
    }

    @Test
    void aSuccessConfirmsTheOrderOnceAndFulfilmentMovesItToDelivered() throws SQLException {
        String shopper = identity.shopperToken("lc-ann");
        UUID order = place(shopper, "LC-PAID", 1, 10_000);
        EventEnvelope<Event> success = EventEnvelope.of(order.toString(), 1, new PaymentSucceeded(order, 1, "pay_1", eur(10_000)));
        publish(success);
        awaitStatus(order, "CONFIRMED/2");
        publish(success);
        // the same fact under another event id: the attempt is decided, nothing moves
        EventEnvelope<Event> sameFact = EventEnvelope.of(order.toString(), 1, new PaymentSucceeded(order, 1, "pay_1", eur(10_000)));
        publish(sameFact);
        awaitHandled(sameFact);
        assertThat(scalar("SELECT status || '/' || version FROM orders WHERE id = '" + order + "'")).isEqualTo("CONFIRMED/2");
        assertThat(count("SELECT count(*) FROM outbox_written WHERE aggregate_id = '" + order + "' AND event_type = 'RefundRequested'")).isZero();
        publish(EventEnvelope.of(order.toString(), 2, new OrderAllocated(order, "BER-1")));
        publish(EventEnvelope.of(order.toString(), 3, new OrderShipped(order, "DHL", "JJD0001")));
        publish(EventEnvelope.of(order.toString(), 2, new OrderAllocated(order, "BER-1")));
        publish(EventEnvelope.of(order.toString(), 4, new OrderDelivered(order)));
        awaitStatus(order, "DELIVERED/5");
        assertThat(scalar("SELECT string_agg(to_status, ',' ORDER BY version) FROM order_status_change WHERE order_id = '" + order + "'"))
                .isEqualTo("PENDING_PAYMENT,CONFIRMED,ALLOCATED,SHIPPED,DELIVERED");
        assertThat(scalar("SELECT string_agg((envelope ->> 'aggregateVersion') || ':' || (envelope -> 'payload' ->> 'to'), ',' ORDER BY id) "
                + "FROM outbox_written WHERE aggregate_id = '" + order + "' AND event_type = 'OrderStatusChanged'"))
                .isEqualTo("2:CONFIRMED,3:ALLOCATED,4:SHIPPED,5:DELIVERED");
        assertThat(scalar("SELECT status || '/' || payment_id FROM payment_attempt WHERE order_id = '" + order + "'"))
                .isEqualTo("SUCCEEDED/pay_1");
        http.get().uri("/api/orders/{id}", order).header(HttpHeaders.AUTHORIZATION, "Bearer " + shopper).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.timeline.length()").isEqualTo(5).jsonPath("$.status").isEqualTo("DELIVERED");
        cancel(shopper, order).expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.type").isEqualTo("https://surge.dev/problems/order-not-cancellable");
    }

    @Test
    void anAllocationThatOvertookThePaymentSuccessIsTakenOnceTheSuccessConfirmsTheOrder() throws SQLException {
        String shopper = identity.shopperToken("lc-early");
        UUID order = placedAndAllocatedBeforeItsPayment(shopper, "LC-EARLY", 1, 10_000);
        assertThat(scalar("SELECT status || '/' || version || '/' || fulfilment_progress FROM orders WHERE id = '" + order + "'"))
                .isEqualTo("PENDING_PAYMENT/1/ALLOCATED");
        publish(EventEnvelope.of(order.toString(), 1, new PaymentSucceeded(order, 1, "pay_early", eur(10_000))));
        awaitStatus(order, "ALLOCATED/3");
        publish(EventEnvelope.of(order.toString(), 2, new OrderShipped(order, "DHL", "JJD0002")));
        // the allocation again under another event id: known already, nothing moves
        EventEnvelope<Event> again = EventEnvelope.of(order.toString(), 1, new OrderAllocated(order, "BER-1"));
        publish(again);
        publish(EventEnvelope.of(order.toString(), 3, new OrderDelivered(order)));
        awaitStatus(order, "DELIVERED/5");
        awaitHandled(again);
        assertThat(scalar("SELECT string_agg(to_status, ',' ORDER BY version) FROM order_status_change WHERE order_id = '" + order + "'"))
                .isEqualTo("PENDING_PAYMENT,CONFIRMED,ALLOCATED,SHIPPED,DELIVERED");
        assertThat(scalar("SELECT status || '/' || version FROM orders WHERE id = '" + order + "'")).isEqualTo("DELIVERED/5");
    }

    @Test
    void fulfilmentNewsThatAllArrivedBeforeThePaymentSuccessIsTakenStepByStepInOrder() throws SQLException {
        String shopper = identity.shopperToken("lc-early-all");
        UUID order = place(shopper, "LC-EARLY-ALL", 1, 10_000);
        EventEnvelope<Event> delivered = EventEnvelope.of(order.toString(), 3, new OrderDelivered(order));
        publish(EventEnvelope.of(order.toString(), 1, new OrderAllocated(order, "BER-1")));
        publish(EventEnvelope.of(order.toString(), 2, new OrderShipped(order, "DHL", "JJD0003")));
        publish(delivered);
        awaitHandled(delivered);
        assertThat(scalar("SELECT status || '/' || version || '/' || fulfilment_progress FROM orders WHERE id = '" + order + "'"))
                .isEqualTo("PENDING_PAYMENT/1/DELIVERED");
        assertThat(count("SELECT count(*) FROM outbox_written WHERE aggregate_id = '" + order + "' AND event_type = 'OrderStatusChanged'")).isZero();

        publish(EventEnvelope.of(order.toString(), 1, new PaymentSucceeded(order, 1, "pay_early_all", eur(10_000))));
        awaitStatus(order, "DELIVERED/5");
        // every step its own status change, version and event, in the lifecycle's order, as if they had come in order
        assertThat(scalar("SELECT string_agg(to_status, ',' ORDER BY version) FROM order_status_change WHERE order_id = '" + order + "'"))
                .isEqualTo("PENDING_PAYMENT,CONFIRMED,ALLOCATED,SHIPPED,DELIVERED");
        assertThat(scalar("SELECT string_agg((envelope ->> 'aggregateVersion') || ':' || (envelope -> 'payload' ->> 'from') || '>' "
                + "|| (envelope -> 'payload' ->> 'to'), ',' ORDER BY id) FROM outbox_written WHERE aggregate_id = '" + order
                + "' AND event_type = 'OrderStatusChanged'"))
                .isEqualTo("2:PENDING_PAYMENT>CONFIRMED,3:CONFIRMED>ALLOCATED,4:ALLOCATED>SHIPPED,5:SHIPPED>DELIVERED");
        assertThat(scalar("SELECT status || '/' || payment_id FROM payment_attempt WHERE order_id = '" + order + "'"))
                .isEqualTo("SUCCEEDED/pay_early_all");
        assertThat(scalar("SELECT available FROM stock WHERE sku = 'LC-EARLY-ALL'")).isEqualTo("9");
        http.get().uri("/api/orders/{id}", order).header(HttpHeaders.AUTHORIZATION, "Bearer " + shopper).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("DELIVERED").jsonPath("$.version").isEqualTo(5);
    }

    @Test
    void anOrderCancelledWhileAnEarlyAllocationWaitsForItsPaymentIgnoresIt() throws SQLException {
        String shopper = identity.shopperToken("lc-early-cancel");
        UUID order = placedAndAllocatedBeforeItsPayment(shopper, "LC-EARLY-CANCEL", 2, 20_000);
        cancel(shopper, order).expectStatus().isOk().expectBody().jsonPath("$.status").isEqualTo("CANCELLED");
        publish(EventEnvelope.of(order.toString(), 1, new PaymentSucceeded(order, 1, "pay_early_cancel", eur(20_000))));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(scalar(
                "SELECT envelope -> 'payload' ->> 'reason' FROM outbox_written WHERE aggregate_id = '" + order + "' AND event_type = 'RefundRequested'"))
                .isEqualTo("ORDER_NOT_PAYABLE"));
        EventEnvelope<Event> shipped = EventEnvelope.of(order.toString(), 2, new OrderShipped(order, "DHL", "JJD0004"));
        publish(shipped);
        awaitHandled(shipped);
        assertThat(scalar("SELECT status || '/' || version FROM orders WHERE id = '" + order + "'")).isEqualTo("CANCELLED/2");
        assertThat(scalar("SELECT available FROM stock WHERE sku = 'LC-EARLY-CANCEL'")).isEqualTo("10");
    }

    @Test
    void aFailureGivesTheStockBackOnceAndARetryWithAnotherMethodTakesItAgain() throws SQLException {
        String shopper = identity.shopperToken("lc-bob");
        UUID order = place(shopper, "LC-FAIL", 2, 20_000);
        assertThat(scalar("SELECT available FROM stock WHERE sku = 'LC-FAIL'")).isEqualTo("8");
        EventEnvelope<Event> declined = EventEnvelope.of(order.toString(), 1, new PaymentFailed(order, 1, "CARD_DECLINED", "Do not honor"));
        publish(declined);
        awaitStatus(order, "PAYMENT_FAILED/2");
        publish(declined);
        // the same fact again under another event id: the attempt is decided already
        EventEnvelope<Event> again = EventEnvelope.of(order.toString(), 1, new PaymentFailed(order, 1, "CARD_DECLINED", "Do not honor"));
        publish(again);
        awaitHandled(again);
        assertThat(scalar("SELECT available FROM stock WHERE sku = 'LC-FAIL'")).isEqualTo("10");
        http.get().uri("/api/orders/{id}", order).header(HttpHeaders.AUTHORIZATION, "Bearer " + shopper).exchange()
                .expectBody().jsonPath("$.timeline[1].reason").isEqualTo("CARD_DECLINED")
                .jsonPath("$.paymentAttempts[0].failureCode").isEqualTo("CARD_DECLINED");

        retry(shopper, order, "lc-bob-retry", "tok_mastercard").expectStatus().isOk()
                .expectBody()
                .jsonPath("$.status").isEqualTo("PENDING_PAYMENT")
                .jsonPath("$.paymentAttempts.length()").isEqualTo(2)
                .jsonPath("$.paymentAttempts[1].attempt").isEqualTo(2);
        retry(shopper, order, "lc-bob-retry", "tok_mastercard").expectStatus().isOk()
                .expectHeader().valueEquals("Idempotent-Replayed", "true");
        retry(shopper, order, "lc-bob-retry-2", "tok_mastercard").expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.type").isEqualTo("https://surge.dev/problems/order-not-payable");
        assertThat(scalar("SELECT available FROM stock WHERE sku = 'LC-FAIL'")).isEqualTo("8");
        assertThat(scalar("SELECT envelope -> 'payload' ->> 'attempt' FROM outbox_written WHERE aggregate_id = '" + order
                + "' AND event_type = 'PaymentRequested' AND envelope -> 'payload' ->> 'paymentToken' = 'tok_mastercard'"))
                .isEqualTo("2");
        // the retry ships where checkout's request said: the attempt that pays picks fulfilment's warehouse
        assertThat(scalar("SELECT string_agg(envelope -> 'payload' ->> 'shipToCountry', ',' ORDER BY id) FROM outbox_written WHERE aggregate_id = '"
                + order + "' AND event_type = 'PaymentRequested'")).isEqualTo("DE,DE");

        // the first attempt's success arrives late: superseded, paid back, no stock taken twice
        publish(EventEnvelope.of(order.toString(), 2, new PaymentSucceeded(order, 1, "pay_late", eur(20_000))));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(scalar(
                "SELECT envelope -> 'payload' ->> 'reason' FROM outbox_written WHERE aggregate_id = '" + order + "' AND event_type = 'RefundRequested'"))
                .isEqualTo("ATTEMPT_SUPERSEDED"));
        publish(EventEnvelope.of(order.toString(), 3, new PaymentSucceeded(order, 2, "pay_2", eur(20_000))));
        awaitStatus(order, "CONFIRMED/4");
        assertThat(scalar("SELECT available FROM stock WHERE sku = 'LC-FAIL'")).isEqualTo("8");
        // the order's requests have their own sequence: checkout's, the retry's, the refund's; none shares a version
        assertThat(scalar("SELECT string_agg(event_type || ':' || (envelope ->> 'aggregateVersion'), ',' ORDER BY id) FROM outbox_written "
                + "WHERE aggregate_id = '" + order + "' AND topic = 'shop.payment-requests.v1'"))
                .isEqualTo("PaymentRequested:1,PaymentRequested:2,RefundRequested:3");
        // the idempotency record of the retry stands for the request by a hash: no payment token is kept there
        assertThat(count("SELECT count(*) FROM idempotency_key WHERE user_id = 'lc-bob' "
                + "AND (request_hash LIKE '%tok_%' OR response::text LIKE '%tok_%')")).isZero();
        assertThat(count("SELECT count(*) FROM idempotency_key WHERE user_id = 'lc-bob'")).isEqualTo(2);
    }

    @Test
    void aCancelGivesTheStockBackAndASuccessThatArrivesAfterItIsRefunded() throws SQLException {
        String shopper = identity.shopperToken("lc-cat");
        UUID order = place(shopper, "LC-CANCEL", 3, 30_000);
        cancel(shopper, order).expectStatus().isOk().expectBody().jsonPath("$.status").isEqualTo("CANCELLED");
        cancel(shopper, order).expectStatus().isOk().expectBody().jsonPath("$.version").isEqualTo(2);
        cancel(identity.shopperToken("lc-mallory"), order).expectStatus().isNotFound();
        assertThat(scalar("SELECT available FROM stock WHERE sku = 'LC-CANCEL'")).isEqualTo("10");
        assertThat(scalar("SELECT event_type FROM outbox_written WHERE aggregate_id = '" + order + "' AND envelope ->> 'aggregateVersion' = '2'"))
                .isEqualTo("OrderCancelled");

        publish(EventEnvelope.of(order.toString(), 1, new PaymentSucceeded(order, 1, "pay_after_cancel", eur(30_000))));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(scalar(
                "SELECT envelope -> 'payload' ->> 'reason' FROM outbox_written WHERE aggregate_id = '" + order + "' AND event_type = 'RefundRequested'"))
                .isEqualTo("ORDER_NOT_PAYABLE"));
        assertThat(scalar("SELECT status || '/' || version FROM orders WHERE id = '" + order + "'")).isEqualTo("CANCELLED/2");
        assertThat(scalar("SELECT available FROM stock WHERE sku = 'LC-CANCEL'")).isEqualTo("10");
    }

    @Test
    void aPaidOrderThatIsCancelledIsRefundedAndFulfilmentNewsAfterItChangesNothing() throws SQLException {
        String shopper = identity.shopperToken("lc-dan");
        UUID order = place(shopper, "LC-SHIP", 1, 10_000);
        publish(EventEnvelope.of(order.toString(), 1, new PaymentSucceeded(order, 1, "pay_3", eur(10_000))));
        awaitStatus(order, "CONFIRMED/2");
        cancel(shopper, order).expectStatus().isOk();
        assertThat(scalar("SELECT envelope -> 'payload' ->> 'reason' FROM outbox_written WHERE aggregate_id = '" + order
                + "' AND event_type = 'RefundRequested'")).isEqualTo("ORDER_CANCELLED");
        EventEnvelope<Event> late = EventEnvelope.of(order.toString(), 2, new OrderAllocated(order, "BER-1"));
        publish(late);
        awaitHandled(late);
        assertThat(scalar("SELECT status || '/' || version FROM orders WHERE id = '" + order + "'")).isEqualTo("CANCELLED/3");
    }

    @Test
    void ordersWithoutAPaymentOutcomeInTimeFailAndTheirStockComesBack() throws SQLException {
        String shopper = identity.shopperToken("lc-eve");
        UUID order = place(shopper, "LC-TIME", 4, 40_000);
        // more overdue orders than one read ahead holds, over two skus each, to be failed in one sweep
        String many = identity.shopperToken("lc-eve-many");
        for (int i = 0; i < 40; i++) {
            post("/api/orders", many).header("Idempotency-Key", "lc-eve-many-" + i)
                    .bodyValue("{\"address\": " + SHIP_TO + ", \"paymentMethod\": \"tok_visa\", \"expectedTotal\": "
                            + "{\"amount\": 1495, \"currency\": \"EUR\"}, \"lines\": [{\"sku\": \"LC-TIME-A\", \"quantity\": 1}, "
                            + "{\"sku\": \"LC-TIME-B\", \"quantity\": 1}]}")
                    .exchange()
                    .expectStatus().isCreated();
        }
        assertThat(scalar("SELECT available FROM stock WHERE sku = 'LC-TIME'")).isEqualTo("6");
        assertThat(scalar("SELECT available FROM stock WHERE sku = 'LC-TIME-A'")).isEqualTo("10");
        execute("UPDATE orders SET updated_at = now() - interval '16 minutes' WHERE user_id IN ('lc-eve', 'lc-eve-many')");
        awaitStatus(order, "PAYMENT_FAILED/2");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(count(
                "SELECT count(*) FROM orders WHERE user_id = 'lc-eve-many' AND status = 'PAYMENT_FAILED'")).isEqualTo(40));
        assertThat(scalar("SELECT available FROM stock WHERE sku = 'LC-TIME-A'")).isEqualTo("50");
        assertThat(scalar("SELECT available FROM stock WHERE sku = 'LC-TIME-B'")).isEqualTo("50");
        assertThat(scalar("SELECT reason FROM order_status_change WHERE order_id = '" + order + "' AND version = 2"))
                .isEqualTo("PAYMENT_TIMEOUT");
        assertThat(scalar("SELECT available FROM stock WHERE sku = 'LC-TIME'")).isEqualTo("10");
        // the provider answers after all: the shopper was charged for an order that gave up, so it is paid back
        publish(EventEnvelope.of(order.toString(), 1, new PaymentSucceeded(order, 1, "pay_slow", eur(40_000))));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(scalar(
                "SELECT count(*) FROM outbox_written WHERE aggregate_id = '" + order + "' AND event_type = 'RefundRequested'")).isEqualTo("1"));
        assertThat(scalar("SELECT available FROM stock WHERE sku = 'LC-TIME'")).isEqualTo("10");
    }

    @Test
    void idempotencyKeysAreKeptADayThenDeleted() throws SQLException {
        execute("""
                INSERT INTO idempotency_key (user_id, key, operation, request_hash, order_id, status, response, created_at)
                VALUES ('lc-old', 'old', 'place-order', 'h', gen_random_uuid(), 201, '{}', now() - interval '25 hours'),
                       ('lc-old', 'recent', 'place-order', 'h', gen_random_uuid(), 201, '{}', now() - interval '23 hours')""");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(scalar("SELECT string_agg(key, ',') FROM idempotency_key WHERE user_id = 'lc-old'")).isEqualTo("recent"));
    }

    @Test
    void soldPlusRemainingStaysTheInitialStockWithFailuresAndCancelsInterleaved() throws SQLException {
        WebClient client = WebClient.create("http://127.0.0.1:" + port);
        List<String> tokens = IntStream.range(0, 60).mapToObj(i -> identity.shopperToken("lc-rush-" + i)).toList();
        Map<Integer, UUID> placed = new ConcurrentHashMap<>();
        StepVerifier.create(Flux.range(0, 40).flatMap(i -> checkout(client, tokens.get(i), "rush-" + i)
                                .doOnNext(id -> placed.put(i, id)), 32))
                .expectNextCount(30)
                .expectComplete()
                .verify(Duration.ofSeconds(60));
        List<Integer> owners = List.copyOf(placed.keySet());
        Flux<Object> failures = Flux.fromIterable(owners.subList(0, 10))
                .flatMap(i -> events.publish(EventEnvelope.of(placed.get(i).toString(), 1,
                        new PaymentFailed(placed.get(i), 1, "INSUFFICIENT_FUNDS", null))).thenReturn(i));
        Flux<Object> cancels = Flux.fromIterable(owners.subList(10, 20))
                .flatMap(i -> client.post().uri("/api/orders/{id}/cancel", placed.get(i))
                        .header(HttpHeaders.AUTHORIZATION, "Bearer " + tokens.get(i))
                        .exchangeToMono(response -> response.releaseBody().thenReturn(response.statusCode().value())));
        Map<Integer, UUID> later = new ConcurrentHashMap<>();
        Flux<Object> more = Flux.range(40, 20).flatMap(i -> checkout(client, tokens.get(i), "rush-" + i)
                .doOnNext(id -> later.put(i, id))
                .cast(Object.class));
        StepVerifier.create(Flux.merge(failures, cancels, more).then()).expectComplete().verify(Duration.ofSeconds(60));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(count(
                "SELECT count(*) FROM orders o JOIN order_line l ON l.order_id = o.id WHERE l.sku = 'LC-RUSH' AND o.status = 'PAYMENT_FAILED'"))
                .isEqualTo(10));
        long held = count("SELECT coalesce(sum(l.quantity), 0) FROM orders o JOIN order_line l ON l.order_id = o.id "
                + "WHERE l.sku = 'LC-RUSH' AND o.status NOT IN ('PAYMENT_FAILED', 'CANCELLED')");
        long remaining = count("SELECT available FROM stock WHERE sku = 'LC-RUSH'");
        assertThat(held + remaining).isEqualTo(30);
        // 10 of the first 30 still hold theirs; the later buyers got what the failures and cancels gave back in time
        assertThat(held).isEqualTo(10 + later.size());
    }

    private Mono<UUID> checkout(WebClient client, String token, String key) {
        return client.post().uri("/api/orders")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .header("Idempotency-Key", key)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(buyNow("LC-RUSH", 1, 1_000 + 495))
                .exchangeToMono(response -> response.statusCode().value() == 201
                        ? response.bodyToMono(Map.class).map(body -> UUID.fromString((String) body.get("id")))
                        : response.releaseBody().then(Mono.empty()));
    }

    private UUID place(String shopper, String sku, int quantity, long expected) {
        String id = post("/api/orders", shopper).header("Idempotency-Key", UUID.randomUUID().toString())
                .bodyValue(buyNow(sku, quantity, expected))
                .exchange()
                .expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody().get("id").toString();
        return UUID.fromString(id);
    }

    /** An order whose allocation is handled while it still waits for its payment outcome. */
    private UUID placedAndAllocatedBeforeItsPayment(String shopper, String sku, int quantity, long expected) {
        UUID order = place(shopper, sku, quantity, expected);
        EventEnvelope<Event> allocated = EventEnvelope.of(order.toString(), 1, new OrderAllocated(order, "BER-1"));
        publish(allocated);
        awaitHandled(allocated);
        return order;
    }

    private WebTestClient.ResponseSpec cancel(String token, UUID order) {
        return http.post().uri("/api/orders/{id}/cancel", order).header(HttpHeaders.AUTHORIZATION, "Bearer " + token).exchange();
    }

    private WebTestClient.ResponseSpec retry(String token, UUID order, String key,
            String method) {
        return post("/api/orders/" + order + "/payment", token).header("Idempotency-Key", key)
                .bodyValue("{\"paymentMethod\": \"" + method + "\"}").exchange();
    }

    private void publish(EventEnvelope<?> envelope) {
        StepVerifier.create(events.publish(envelope)).verifyComplete();
    }

    private void awaitStatus(UUID order, String expected) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(scalar("SELECT status || '/' || version FROM orders WHERE id = '" + order + "'")).isEqualTo(expected));
    }

    /** Waits until the consumer handled the event (with an effect or, as here mostly, without one). */
    private void awaitHandled(EventEnvelope<?> event) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(count(
                "SELECT count(*) FROM inbox WHERE consumer = 'order-status' AND event_id = '" + event.eventId() + "'")).isEqualTo(1));
    }

    private static Money eur(long cents) {
        return new Money(cents, "EUR");
    }
}
