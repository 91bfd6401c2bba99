package dev.surge.fulfilment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import org.assertj.core.api.InstanceOfAssertFactories;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.surge.events.Event;
import dev.surge.events.EventEnvelope;
import dev.surge.events.fulfilment.OrderAllocated;
import dev.surge.events.fulfilment.OrderDelivered;
import dev.surge.events.fulfilment.OrderShipped;
import dev.surge.events.fulfilment.PaymentFailed;
import dev.surge.events.fulfilment.PaymentRefunded;
import dev.surge.events.fulfilment.PaymentSucceeded;
import dev.surge.events.order.OrderCancelled;
import dev.surge.events.order.OrderStatusChanged;
import dev.surge.events.order.PaymentRequested;
import dev.surge.events.order.RefundRequested;
import dev.surge.fulfilment.payment.ChargeCommand;
import dev.surge.fulfilment.payment.ChargeOutcome;
import dev.surge.fulfilment.payment.PaymentProvider;
import dev.surge.fulfilment.shipment.Shipments;
import dev.surge.messaging.EventConsumer;
import dev.surge.testsupport.IntegrationTest;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/**
 * Payments and shipments over a real broker and PostgreSQL: requests go onto
 * {@code shop.payment-requests.v1} and {@code shop.orders.v1}, outcomes are read from
 * {@code shop.payments.v1} and {@code shop.fulfilment.v1}. Shipment steps are immediate here, and the
 * provider's limits short (retry budget about a second).
 */
@IntegrationTest
@TestPropertySource(properties = {
        "surge.payments.call-timeout=300ms",
        "surge.payments.retries=2",
        "surge.payments.initial-backoff=50ms",
        "surge.payments.max-backoff=100ms",
        "surge.payments.lease=5s",
        "surge.payments.recovery-interval=200ms",
        "surge.payments.simulated.latency=0ms",
        "surge.payments.simulated.slow-latency=150ms",
        "surge.fulfilment.allocate-delay=0s",
        "surge.fulfilment.ship-delay=0s",
        "surge.fulfilment.deliver-delay=0s",
        "surge.fulfilment.poll-interval=100ms" })
class PaymentsAndShipmentsIT extends FulfilmentFixtures {

    @Autowired
    List<EventConsumer> consumers;

    @Autowired
    PaymentProvider provider;

    @Autowired
    Shipments shipments;

    @Autowired
    MeterRegistry meters;

    @Test
    void aGoodCardIsChargedOnceAndTheOrderGoesFromAllocatedToDeliveredFromItsCountrysWarehouse() throws SQLException {
        UUID order = UUID.randomUUID();
        publish(order, request(order, 1, 4_995, "tok_visa", "NL"));
        confirmOnceCharged(order);

        List<Event> seen = awaitEvents(order, events -> events.stream().anyMatch(OrderDelivered.class::isInstance));

        PaymentSucceeded paid = ofType(order, PaymentSucceeded.class).getFirst();
        assertThat(paid.attempt()).isEqualTo(1);
        assertThat(paid.amount()).isEqualTo(eur(4_995));
        assertThat(paid.paymentId()).startsWith("ch_");
        OrderShipped shipped = ofType(order, OrderShipped.class).getFirst();
        // two topics: the payment's place among the fulfilment events is not ordered by Kafka; each topic's own order is
        assertThat(seen).filteredOn(event -> !(event instanceof PaymentSucceeded))
                .containsExactly(new OrderAllocated(order, "AMS-1"), shipped, new OrderDelivered(order));
        assertThat(seen).containsOnlyOnce(paid);
        assertThat(shipped.carrier()).isEqualTo("PostNL");
        assertThat(shipped.trackingNumber()).startsWith("POS").hasSize(19);
        assertThat(providerOperations(chargeKey(order, 1))).isEqualTo(1);
        // the token is kept only while the charge is pending
        assertThat(scalar("SELECT status || ' ' || coalesce(payment_token, '-') FROM payment WHERE order_id = '" + order + "'"))
                .isEqualTo("SUCCEEDED -");
        assertThat(scalar("SELECT status FROM shipment WHERE order_id = '" + order + "'")).isEqualTo("DELIVERED");
    }

    @Test
    void aRequestWithoutCountryShipsFromTheDefaultWarehouse() {
        UUID order = UUID.randomUUID();
        publish(order, new PaymentRequested(order, "old-producer", 1, eur(1_000), "tok_mastercard"));
        confirmOnceCharged(order);

        awaitEvents(order, events -> events.contains(new OrderAllocated(order, "BER-1")));
        assertThat(ofType(order, PaymentSucceeded.class)).hasSize(1);
    }

    @ParameterizedTest
    @CsvSource({
            "tok_chargeDeclined, CARD_DECLINED",
            "tok_chargeDeclinedInsufficientFunds, INSUFFICIENT_FUNDS",
            "tok_chargeDeclinedExpiredCard, EXPIRED_CARD",
            "tok_unknownToTheProvider, INVALID_PAYMENT_METHOD" })
    void aDeclinedCardFailsTheAttemptWithItsReasonAndShipsNothing(String token, String reason) throws SQLException {
        UUID order = UUID.randomUUID();
        publish(order, request(order, 1, 2_500, token, "DE"));

        awaitEvents(order, events -> events.stream().anyMatch(PaymentFailed.class::isInstance));
        PaymentFailed failed = ofType(order, PaymentFailed.class).getFirst();
        assertThat(failed.attempt()).isEqualTo(1);
        assertThat(failed.reasonCode()).isEqualTo(reason);
        assertThat(failed.message()).isNotBlank();
        assertThat(count("SELECT count(*) FROM shipment WHERE order_id = '" + order + "'")).isZero();
        assertThat(scalar("SELECT status || ' ' || failure_code FROM payment WHERE order_id = '" + order + "'"))
                .isEqualTo("FAILED " + reason);
    }

    @Test
    void aProviderThatDoesNotAnswerIsAskedAgainWithBackoffThenTheAttemptFailsAsProviderUnavailable() throws SQLException {
        double timeoutsBefore = timeouts();
        UUID order = UUID.randomUUID();
        publish(order, request(order, 1, 2_500, "tok_timeout", "DE"));

        awaitEvents(order, events -> events.stream().anyMatch(PaymentFailed.class::isInstance));
        assertThat(ofType(order, PaymentFailed.class).getFirst().reasonCode()).isEqualTo("PROVIDER_UNAVAILABLE");
        // the first call and two retries, each cut off at the call timeout
        assertThat(timeouts() - timeoutsBefore).isEqualTo(3);
        assertThat(providerOperations(chargeKey(order, 1))).isZero();
        assertThat(ofType(order, PaymentSucceeded.class)).isEmpty();
    }

    @Test
    void aSlowProviderStillInsideTheCallTimeoutCharges() throws SQLException {
        UUID order = UUID.randomUUID();
        publish(order, request(order, 1, 3_000, "tok_slow", "DE"));

        awaitEvents(order, events -> events.stream().anyMatch(PaymentSucceeded.class::isInstance));
        assertThat(providerOperations(chargeKey(order, 1))).isEqualTo(1);
    }

    @Test
    void aRedeliveredRequestAndTheSameAttemptUnderAnotherEventIdChargeOnce() throws SQLException {
        UUID order = UUID.randomUUID();
        EventEnvelope<Event> first = publish(order, request(order, 1, 7_000, "tok_visa", "DE"));
        awaitEvents(order, events -> events.stream().anyMatch(PaymentSucceeded.class::isInstance));

        publish(first);
        EventEnvelope<Event> again = publish(order, request(order, 1, 7_000, "tok_visa", "DE"));
        await().atMost(Duration.ofSeconds(30)).until(() ->
                count("SELECT count(*) FROM inbox WHERE event_id = '" + again.eventId() + "'") == 1);
        awaitOutboxDrained();

        assertThat(ofType(order, PaymentSucceeded.class)).hasSize(1);
        assertThat(providerOperations(chargeKey(order, 1))).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM outbox_written WHERE aggregate_id = '" + order + "' AND event_type = 'PaymentSucceeded'"))
                .isEqualTo(1);
    }

    @Test
    void aCrashBetweenTheProviderCallAndTheRecordIsFinishedByTheRedeliveryWithTheFirstCharge() throws SQLException {
        UUID order = UUID.randomUUID();
        EventEnvelope<Event> request = EventEnvelope.of(order.toString(), 1, request(order, 1, 5_500, "tok_visa", "DE"));
        String chargedBeforeTheCrash = chargedAtTheProvider(order, 5_500);
        // what the crashed instance left: the request handled (inbox) and its charge PENDING, the provider's charge made
        execute("INSERT INTO inbox (consumer, event_id) VALUES ('payments', '" + request.eventId() + "')");
        pendingCharge(order, "now()");

        publish(request);

        awaitEvents(order, events -> events.stream().anyMatch(PaymentSucceeded.class::isInstance));
        assertThat(ofType(order, PaymentSucceeded.class).getFirst().paymentId()).isEqualTo(chargedBeforeTheCrash);
        assertThat(providerOperations(chargeKey(order, 1))).isEqualTo(1);
        awaitOutboxDrained();
        assertThat(ofType(order, PaymentSucceeded.class)).hasSize(1);
    }

    @Test
    void aPendingChargeNobodyFinishedIsFinishedByTheRecoveryPollWithoutARedelivery() throws SQLException {
        UUID order = UUID.randomUUID();
        String chargedBeforeTheCrash = chargedAtTheProvider(order, 6_100);
        // recorded a while ago, never taken to an outcome: its instance died and no redelivery comes
        pendingCharge(order, "now() - interval '1 minute'");

        awaitEvents(order, events -> events.stream().anyMatch(PaymentSucceeded.class::isInstance));
        assertThat(ofType(order, PaymentSucceeded.class).getFirst().paymentId()).isEqualTo(chargedBeforeTheCrash);
        assertThat(providerOperations(chargeKey(order, 1))).isEqualTo(1);
    }

    @Test
    void twoInstancesTakingTheSameRequestAtOnceChargeOnce() throws SQLException {
        EventConsumer payments = consumers.stream().filter(consumer -> consumer.name().equals("payments")).findFirst().orElseThrow();
        UUID order = UUID.randomUUID();
        PaymentRequested request = request(order, 1, 8_800, "tok_slow", "DE");

        // eight deliveries side by side, as a rebalance or a duplicate publish would hand them to several instances
        StepVerifier.create(Flux.range(0, 8)
                        .flatMap(i -> payments.handle(EventEnvelope.of(order.toString(), 1, request)).subscribeOn(Schedulers.parallel()), 8)
                        .then())
                .verifyComplete();

        await().atMost(Duration.ofSeconds(30)).until(() ->
                count("SELECT count(*) FROM payment WHERE order_id = '" + order + "' AND status = 'SUCCEEDED'") == 1);
        awaitOutboxDrained();
        confirmOnceCharged(order);
        awaitEvents(order, events -> events.stream().anyMatch(OrderDelivered.class::isInstance));
        assertThat(providerOperations(chargeKey(order, 1))).isEqualTo(1);
        assertThat(ofType(order, PaymentSucceeded.class)).hasSize(1);
        assertThat(ofType(order, OrderAllocated.class)).hasSize(1);
    }

    @Test
    void aRefundRequestedTwiceRefundsOnce() throws SQLException {
        UUID order = UUID.randomUUID();
        publish(order, request(order, 1, 9_900, "tok_visa", "DE"));
        awaitEvents(order, events -> events.stream().anyMatch(PaymentSucceeded.class::isInstance));
        String charge = ofType(order, PaymentSucceeded.class).getFirst().paymentId();

        publish(order, new RefundRequested(order, 1, eur(9_900), "ORDER_CANCELLED"));
        publish(order, new RefundRequested(order, 1, eur(9_900), "ORDER_CANCELLED"));

        awaitEvents(order, events -> events.stream().anyMatch(PaymentRefunded.class::isInstance));
        awaitOutboxDrained();
        List<PaymentRefunded> refunds = ofType(order, PaymentRefunded.class);
        assertThat(refunds).hasSize(1);
        assertThat(refunds.getFirst().attempt()).isEqualTo(1);
        assertThat(refunds.getFirst().amount()).isEqualTo(eur(9_900));
        assertThat(refunds.getFirst().refundId()).startsWith("re_");
        assertThat(providerOperations(refundKey(order, 1))).isEqualTo(1);
        assertThat(scalar("SELECT provider_ref FROM simulated_provider_operation WHERE idempotency_key = '" + chargeKey(order, 1) + "'"))
                .isEqualTo(charge);
        assertThat(scalar("SELECT status FROM payment WHERE order_id = '" + order + "' AND kind = 'REFUND'")).isEqualTo("REFUNDED");
    }

    @Test
    void aRefundForAnAttemptThatWasNeverChargedIsRecordedAsSuchWithoutAnEventOrALoop() throws SQLException {
        UUID order = UUID.randomUUID();
        publish(order, request(order, 1, 1_500, "tok_chargeDeclined", "DE"));
        awaitEvents(order, events -> events.stream().anyMatch(PaymentFailed.class::isInstance));

        publish(order, new RefundRequested(order, 1, eur(1_500), "ORDER_CANCELLED"));
        publish(order, new RefundRequested(order, 7, eur(1_500), "ATTEMPT_SUPERSEDED"));

        await().atMost(Duration.ofSeconds(30)).until(() ->
                count("SELECT count(*) FROM payment WHERE order_id = '" + order + "' AND kind = 'REFUND' AND status = 'NOT_CHARGED'") == 2);
        // the partition moves on: a later request of the same order is handled
        publish(order, request(order, 2, 1_500, "tok_visa", "DE"));
        awaitEvents(order, events -> events.stream().anyMatch(PaymentSucceeded.class::isInstance));
        awaitOutboxDrained();
        assertThat(ofType(order, PaymentRefunded.class)).isEmpty();
        assertThat(providerOperations(refundKey(order, 1))).isZero();
    }

    @Test
    void twoPollersSideBySideTakeEveryShipmentStepOnce() throws SQLException {
        List<UUID> orders = IntStream.range(0, 40).mapToObj(i -> UUID.randomUUID()).toList();
        for (UUID order : orders) {
            execute("INSERT INTO shipment (order_id, attempt, warehouse, carrier, tracking_number, status, next_step_at) VALUES ('"
                    + order + "', 1, 'BER-1', 'DHL', 'DHL" + order.toString().substring(0, 13) + "', 'AWAITING_ALLOCATION', now())");
        }

        // two more instances' pollers beside this one's, each round a transaction of its own
        Mono<Integer> poller = Flux.range(0, 200)
                .concatMap(round -> shipments.takeDueSteps())
                .reduce(0, Integer::sum);
        StepVerifier.create(Mono.zip(poller.subscribeOn(Schedulers.parallel()), poller.subscribeOn(Schedulers.parallel())))
                .assertNext(taken -> assertThat(taken.getT1() + taken.getT2()).isPositive())
                .verifyComplete();

        await().atMost(Duration.ofSeconds(30)).until(() ->
                count("SELECT count(*) FROM shipment WHERE status = 'DELIVERED' AND order_id IN (" + quoted(orders) + ")") == 40);
        awaitOutboxDrained();
        assertThat(count("SELECT count(*) FROM outbox_written WHERE aggregate_id IN (" + quoted(orders) + ")")).isEqualTo(120);
        await().atMost(Duration.ofSeconds(30)).until(() -> orders.stream().allMatch(order -> eventsOf(order).size() >= 3));
        for (UUID order : orders) {
            assertThat(eventsOf(order)).containsExactly(new OrderAllocated(order, "BER-1"),
                    new OrderShipped(order, "DHL", "DHL" + order.toString().substring(0, 13)), new OrderDelivered(order));
        }
    }

    @Test
    void anAllocationWaitsUntilThePaymentSuccessHasLeftTheOutbox() throws SQLException {
        UUID order = UUID.randomUUID();
        execute("INSERT INTO shipment (order_id, attempt, warehouse, carrier, tracking_number, status, next_step_at) VALUES ('"
                + order + "', 1, 'BER-1', 'DHL', 'DHL-" + order + "', 'AWAITING_ALLOCATION', now())");
        // the success still waits in the outbox: parked, so the relay leaves it there for this test
        execute("INSERT INTO outbox (event_id, topic, aggregate_id, event_type, schema_version, envelope, parked_at) VALUES ('"
                + UUID.randomUUID() + "', 'shop.payments.v1', '" + order + "', 'PaymentSucceeded', 1, '{}', now())");

        StepVerifier.create(Flux.range(0, 3).concatMap(round -> shipments.takeDueSteps()).then()).verifyComplete();
        assertThat(scalar("SELECT status FROM shipment WHERE order_id = '" + order + "'")).isEqualTo("AWAITING_ALLOCATION");

        // sent: the relay deletes the row
        execute("DELETE FROM outbox WHERE aggregate_id = '" + order + "'");
        await().atMost(Duration.ofSeconds(30)).until(() ->
                "ALLOCATED".equals(scalar("SELECT status FROM shipment WHERE order_id = '" + order + "'")));
    }

    @Test
    void aCancelSeenBeforeTheParcelLeftStopsTheShipment() throws SQLException {
        UUID order = UUID.randomUUID();
        execute("INSERT INTO shipment (order_id, attempt, warehouse, carrier, tracking_number, status, next_step_at) VALUES ('"
                + order + "', 1, 'BER-1', 'DHL', 'DHL-" + order + "', 'ALLOCATED', now() + interval '1 hour')");

        publish(order, new OrderCancelled(order, "shopper", "CUSTOMER_REQUEST"));

        await().atMost(Duration.ofSeconds(30)).until(() ->
                "STOPPED false".equals(scalar("SELECT status || ' ' || return_requested FROM shipment WHERE order_id = '" + order + "'")));
        assertThat(scalar("SELECT next_step_at FROM shipment WHERE order_id = '" + order + "'")).isNull();
        awaitOutboxDrained();
        assertThat(eventsOf(order)).isEmpty();
    }

    @Test
    void aCancelSeenWhileTheParcelIsOnItsWayFlagsAReturnAndTheParcelIsStillDelivered() throws SQLException {
        UUID order = UUID.randomUUID();
        execute("INSERT INTO shipment (order_id, attempt, warehouse, carrier, tracking_number, status, next_step_at) VALUES ('"
                + order + "', 1, 'BER-1', 'DHL', 'DHL-" + order + "', 'SHIPPED', now() + interval '1 hour')");

        publish(order, new OrderCancelled(order, "shopper", "CUSTOMER_REQUEST"));

        await().atMost(Duration.ofSeconds(30)).until(() ->
                "SHIPPED true".equals(scalar("SELECT status || ' ' || return_requested FROM shipment WHERE order_id = '" + order + "'")));
        // the carrier delivers it all the same; ops collect it afterwards
        execute("UPDATE shipment SET next_step_at = now() WHERE order_id = '" + order + "'");
        awaitEvents(order, events -> events.contains(new OrderDelivered(order)));
        assertThat(scalar("SELECT status || ' ' || return_requested FROM shipment WHERE order_id = '" + order + "'"))
                .isEqualTo("DELIVERED true");
    }

    @Test
    void anOrderCancelledBeforeItsPaymentSucceededGetsNoShipment() throws SQLException {
        UUID order = UUID.randomUUID();
        publish(order, new OrderCancelled(order, "shopper", "CUSTOMER_REQUEST"));
        await().atMost(Duration.ofSeconds(30)).until(() ->
                count("SELECT count(*) FROM order_cancellation WHERE order_id = '" + order + "'") == 1);

        // a success nobody wants any more: cart-order asks for the refund, fulfilment ships nothing
        publish(order, request(order, 1, 2_000, "tok_visa", "DE"));

        awaitEvents(order, events -> events.stream().anyMatch(PaymentSucceeded.class::isInstance));
        awaitOutboxDrained();
        assertThat(count("SELECT count(*) FROM shipment WHERE order_id = '" + order + "'")).isZero();
        assertThat(ofType(order, OrderAllocated.class)).isEmpty();
    }

    @Test
    void aSuccessCartOrderDoesNotConfirmShipsNothing() throws SQLException {
        // the order timed out in cart-order before this success came: it is refunded, never confirmed
        UUID order = UUID.randomUUID();
        publish(order, request(order, 1, 2_300, "tok_visa", "DE"));
        awaitEvents(order, events -> events.stream().anyMatch(PaymentSucceeded.class::isInstance));
        publish(order, new RefundRequested(order, 1, eur(2_300), "ORDER_TIMED_OUT"));
        publish(order, new OrderStatusChanged(order, "shopper", "PENDING_PAYMENT", "PAYMENT_FAILED", "PAYMENT_TIMEOUT"));

        awaitEvents(order, events -> events.stream().anyMatch(PaymentRefunded.class::isInstance));
        awaitOutboxDrained();
        assertThat(count("SELECT count(*) FROM shipment WHERE order_id = '" + order + "'")).isZero();
        assertThat(ofType(order, OrderAllocated.class)).isEmpty();
    }

    @Test
    void theAttemptThatPaidLastShipsTheOrderFromItsCountry() {
        // attempt 1 succeeded too late (superseded, refunded by cart-order's decision); attempt 2 paid and was confirmed
        UUID order = UUID.randomUUID();
        publish(order, request(order, 1, 3_100, "tok_visa", "NL"));
        awaitEvents(order, events -> events.stream().anyMatch(PaymentSucceeded.class::isInstance));
        publish(order, request(order, 2, 3_100, "tok_visa", "ES"));
        await().atMost(Duration.ofSeconds(30)).until(() -> ofType(order, PaymentSucceeded.class).size() == 2);
        publish(order, new RefundRequested(order, 1, eur(3_100), "ATTEMPT_SUPERSEDED"));
        confirmOnceCharged(order);

        awaitEvents(order, events -> events.stream().anyMatch(OrderDelivered.class::isInstance));
        assertThat(ofType(order, OrderAllocated.class)).containsExactly(new OrderAllocated(order, "MAD-1"));
    }

    @Test
    void aCancelArrivingAfterTheParcelLeftFlagsItAsAReturnForOps() {
        UUID order = UUID.randomUUID();
        publish(order, request(order, 1, 4_200, "tok_visa", "AT"));
        confirmOnceCharged(order);
        awaitEvents(order, events -> events.stream().anyMatch(OrderDelivered.class::isInstance));

        publish(order, new OrderCancelled(order, "shopper", "CUSTOMER_REQUEST"));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> ops("/api/ops/shipments?returnRequested=true&size=100")
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.items[?(@.orderId == '" + order + "')].status").isEqualTo("DELIVERED")
                .jsonPath("$.items[?(@.orderId == '" + order + "')].returnRequested").isEqualTo(true)
                .jsonPath("$.items[?(@.orderId == '" + order + "')].warehouse").isEqualTo("BER-1"));
    }

    @Test
    void opsListRecentChargesAndRefundsFilteredByStatusAndKind() {
        UUID declined = UUID.randomUUID();
        publish(declined, request(declined, 1, 1_100, "tok_chargeDeclinedInsufficientFunds", "DE"));
        UUID refunded = UUID.randomUUID();
        publish(refunded, request(refunded, 1, 1_200, "tok_visa", "DE"));
        awaitEvents(refunded, events -> events.stream().anyMatch(PaymentSucceeded.class::isInstance));
        publish(refunded, new RefundRequested(refunded, 1, eur(1_200), "ORDER_CANCELLED"));
        awaitEvents(refunded, events -> events.stream().anyMatch(PaymentRefunded.class::isInstance));
        awaitEvents(declined, events -> events.stream().anyMatch(PaymentFailed.class::isInstance));

        ops("/api/ops/payments?status=failed&size=100")
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.page").isEqualTo(0)
                .jsonPath("$.size").isEqualTo(100)
                .jsonPath("$.items[*].status").value(statuses -> assertThat(statuses).asInstanceOf(InstanceOfAssertFactories.LIST).isNotEmpty().containsOnly("FAILED"))
                .jsonPath("$.items[?(@.orderId == '" + declined + "')].failureCode").isEqualTo("INSUFFICIENT_FUNDS")
                .jsonPath("$.items[*].paymentToken").doesNotExist();
        ops("/api/ops/payments?kind=REFUND&status=REFUNDED&size=100")
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.items[*].kind").value(kinds -> assertThat(kinds).asInstanceOf(InstanceOfAssertFactories.LIST).isNotEmpty().containsOnly("REFUND"))
                .jsonPath("$.items[?(@.orderId == '" + refunded + "')].amount.amount").isEqualTo(1_200)
                .jsonPath("$.items[?(@.orderId == '" + refunded + "')].refundReason").isEqualTo("ORDER_CANCELLED");
        ops("/api/ops/payments?size=1&page=0")
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.items.length()").isEqualTo(1)
                .jsonPath("$.total").value(total -> assertThat(((Number) total).longValue()).isGreaterThan(1));
    }

    @Test
    void theOpsListsNeedAnOpsTokenAndTheOutboxWritesTheOpsRole() {
        http.get().uri("/api/ops/payments").exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        http.get().uri("/api/ops/shipments").header(HttpHeaders.AUTHORIZATION, "Bearer " + identity.shopperToken("alice"))
                .exchange()
                .expectStatus().isForbidden()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        http.get().uri("/api/ops/payments").header(HttpHeaders.AUTHORIZATION, "Bearer " + identity.shopperToken("alice"))
                .exchange()
                .expectStatus().isForbidden();
        ops("/api/ops/payments").expectStatus().isOk();
        http.post().uri("/actuator/outbox/all").contentType(MediaType.APPLICATION_JSON).exchange()
                .expectStatus().isForbidden();
        http.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();
    }

    @ParameterizedTest
    @CsvSource({
            "/api/ops/payments?status=LOST, status",
            "/api/ops/payments?kind=VOID, kind",
            "/api/ops/payments?page=-1, page",
            "/api/ops/payments?size=1000, size",
            "/api/ops/payments?size=ten, size",
            "/api/ops/shipments?status=SOMEWHERE, status",
            "/api/ops/shipments?returnRequested=maybe, returnRequested" })
    void aBadQueryParameterIsA400ProblemNamingIt(String uri, String parameter) {
        ops(uri)
                .expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type").isEqualTo("https://surge.dev/problems/invalid-request")
                .jsonPath("$.errors[0].field").isEqualTo(parameter)
                .jsonPath("$.errors[0].message").isNotEmpty();
    }

    private WebTestClient.ResponseSpec ops(String uri) {
        return http.get().uri(uri).header(HttpHeaders.AUTHORIZATION, "Bearer " + identity.opsToken("olga")).exchange();
    }

    /** The provider charges the attempt, as it did for an instance that crashed before it recorded the outcome. */
    private String chargedAtTheProvider(UUID order, long cents) {
        ChargeOutcome outcome = provider.charge(new ChargeCommand(chargeKey(order, 1), eur(cents), "tok_visa"))
                .block(Duration.ofSeconds(10));
        assertThat(outcome).isInstanceOf(ChargeOutcome.Charged.class);
        return ((ChargeOutcome.Charged) outcome).paymentId();
    }

    private void pendingCharge(UUID order, String createdAt) throws SQLException {
        execute("INSERT INTO payment (id, kind, order_id, attempt, idempotency_key, amount, currency, payment_token, ship_to_country, "
                + "status, created_at) VALUES ('" + UUID.randomUUID() + "', 'CHARGE', '" + order + "', 1, '" + chargeKey(order, 1)
                + "', " + scalar("SELECT amount FROM simulated_provider_operation WHERE idempotency_key = '" + chargeKey(order, 1) + "'")
                + ", 'EUR', 'tok_visa', 'DE', 'PENDING', " + createdAt + ")");
    }

    private double timeouts() {
        var counter = meters.find("surge.payments.provider.calls").tag("result", "timeout").counter();
        return counter == null ? 0 : counter.count();
    }

    private static String quoted(List<UUID> ids) {
        return String.join(",", ids.stream().map(id -> "'" + id + "'").toList());
    }
}
