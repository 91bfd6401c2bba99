package dev.surge.notify.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;

import dev.surge.events.Event;
import dev.surge.events.EventEnvelope;
import dev.surge.events.Money;
import dev.surge.events.fulfilment.PaymentFailed;
import dev.surge.events.order.OrderCancelled;
import dev.surge.events.order.OrderLine;
import dev.surge.events.order.OrderPlaced;
import dev.surge.events.ops.VitalSigns;
import dev.surge.events.order.OrderStatusChanged;
import dev.surge.messaging.EventPublisher;
import dev.surge.messaging.VitalSignsPublisher;
import dev.surge.notify.live.StreamLimits;
import dev.surge.testsupport.IdentityProvider;
import dev.surge.testsupport.Infrastructure;
import dev.surge.testsupport.IntegrationTest;
import reactor.core.Disposable;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The SRE streams over a real broker and PostgreSQL: the firehose of what notify handles, once each,
 * filtered by type, without the shopper's address; the vital signs once a second, counting the orders
 * and revenue the firehose carried and the time to the payment outcome, and what every service instance
 * reports in its vital signs on {@code shop.ops.v1}.
 */
@IntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpsStreamsIT {

    /** This instance's stream limit in this class: no test here holds more than two streams at once. */
    private static final int MAX_STREAMS = 4;

    private static final ParameterizedTypeReference<ServerSentEvent<String>> SSE = new ParameterizedTypeReference<>() {
    };

    @Autowired
    WebTestClient http;

    @Autowired
    EventPublisher events;

    @Autowired
    JsonMapper json;

    @Autowired
    StreamLimits limits;

    @Autowired
    VitalSignsPublisher notifyVitalSigns;

    @LocalServerPort
    int port;

    private final IdentityProvider identity = Infrastructure.identityProvider();

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        registry.add("surge.mail.relay.enabled", () -> "false");
        registry.add("surge.live.max-streams", () -> MAX_STREAMS);
        registry.add("surge.live.retry-after", () -> "7s");
    }

    @Test
    void theFirehoseCarriesEachEventOnceAndKeepsOnlyTheTypesAskedFor() {
        List<ServerSentEvent<String>> all = new CopyOnWriteArrayList<>();
        List<ServerSentEvent<String>> cancels = new CopyOnWriteArrayList<>();
        Disposable allStream = stream("/api/ops/events", all);
        Disposable cancelStream = stream("/api/ops/events?type=OrderCancelled", cancels);
        await().atMost(Duration.ofSeconds(10)).until(() -> !all.isEmpty() && !cancels.isEmpty());

        UUID order = UUID.randomUUID();
        publish(order, 1, placed(order, "ola"));
        publish(order, 1, new PaymentFailed(order, 1, "CARD_DECLINED", "do not honour"));
        publish(order, 2, new OrderStatusChanged(order, "ola", "PENDING_PAYMENT", "PAYMENT_FAILED", "CARD_DECLINED"));
        publish(order, 3, new OrderCancelled(order, "ola", "CUSTOMER_REQUEST"));

        await().atMost(Duration.ofSeconds(30)).until(() -> data(all).size() >= 4 && data(cancels).size() >= 1);
        assertThat(data(all)).extracting(event -> event.event())
                .containsExactlyInAnyOrder("OrderPlaced", "PaymentFailed", "OrderStatusChanged", "OrderCancelled");
        JsonNode placedEvent = parse(data(all).stream().filter(event -> "OrderPlaced".equals(event.event())).findFirst().orElseThrow());
        assertThat(placedEvent.path("topic").asString()).endsWith("shop.orders.v1");
        assertThat(placedEvent.path("details").path("orderId").asString()).isEqualTo(order.toString());
        assertThat(placedEvent.path("details").has("email")).as("no shopper address on an ops stream").isFalse();
        assertThat(placedEvent.path("details").path("lineCount").asInt()).isEqualTo(1);
        assertThat(placedEvent.path("order").path("total").path("amount").asLong()).isEqualTo(2_990);
        // when notify announced it, on PostgreSQL's clock (the same machine's here): what fan-out is measured from
        assertThat(placedEvent.path("announcedAt").asLong())
                .isBetween(System.currentTimeMillis() - 30_000, System.currentTimeMillis());
        assertThat(data(cancels)).singleElement().satisfies(event -> {
            assertThat(event.event()).isEqualTo("OrderCancelled");
            assertThat(parse(event).path("order").path("status").asString()).isEqualTo("CANCELLED");
        });
        allStream.dispose();
        cancelStream.dispose();
    }

    @Test
    void anUnknownTypeIsABadRequestNamingIt() {
        http.get().uri("/api/ops/events?type=OrderPlaced,NoSuchThing")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + identity.opsToken("olga"))
                .accept(MediaType.TEXT_EVENT_STREAM)
                .exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.errors[0].field").isEqualTo("type");
    }

    @Test
    void theVitalSignsComeEverySecondAndCountWhatTheFirehoseCarried() {
        List<ServerSentEvent<String>> metrics = new CopyOnWriteArrayList<>();
        Disposable stream = stream("/api/ops/metrics", metrics);
        try {
            vitalSigns(metrics);
        }
        finally {
            // a stream left open would count against the next test's instance limit
            stream.dispose();
        }
    }

    private void vitalSigns(List<ServerSentEvent<String>> metrics) {
        UUID order = UUID.randomUUID();
        publish(order, 1, placed(order, "pia"));
        publish(order, 2, new OrderStatusChanged(order, "pia", "PENDING_PAYMENT", "CONFIRMED", null));

        await().atMost(Duration.ofSeconds(30)).until(() -> data(metrics).stream().map(this::parse)
                .anyMatch(figures -> figures.path("orders").path("confirmed").asLong() >= 1));
        List<JsonNode> seconds = data(metrics).stream().map(this::parse).toList();
        // other tests of this context publish orders too: at least this one is counted
        assertThat(seconds.stream().mapToLong(figures -> figures.path("orders").path("placed").asLong()).sum())
                .isGreaterThanOrEqualTo(1);
        JsonNode confirmed = seconds.stream().filter(figures -> figures.path("orders").path("confirmed").asLong() >= 1)
                .findFirst().orElseThrow();
        assertThat(confirmed.path("revenue").get(0).path("amount").asLong()).isGreaterThanOrEqualTo(2_990);
        assertThat(confirmed.path("revenue").get(0).path("currency").asString()).isEqualTo("EUR");
        JsonNode latency = seconds.getLast().path("placedToPaymentOutcome");
        assertThat(latency.path("samples").asInt()).isPositive();
        assertThat(latency.path("p50Millis").asLong()).isNotNegative().isLessThanOrEqualTo(latency.path("p99Millis").asLong());
        // one per second: distinct, consecutive seconds
        List<String> named = seconds.stream().map(figures -> figures.path("second").asString()).toList();
        assertThat(named).doesNotHaveDuplicates().isSorted();
    }

    @Test
    void theVitalSignsShowWhatEveryServiceInstanceReportsOnTheOpsTopic() {
        List<ServerSentEvent<String>> metrics = new CopyOnWriteArrayList<>();
        Disposable stream = stream("/api/ops/metrics", metrics);
        try {
            // this notify instance reports its own open streams (this one at least), through Kafka and back
            await().atMost(Duration.ofSeconds(30)).until(() -> data(metrics).stream().map(this::parse)
                    .anyMatch(figures -> contains(figures.path("sseSubscribers"), subscribers ->
                            subscribers.path("instance").asString().equals(notifyVitalSigns.instance())
                                    && subscribers.path("streams").asInt() >= 1)));
            // another service's instance: a gateway-like one with an open breaker, a cart-order-like one
            // with a backlog, a lagging group and refusals
            publishVitalSigns(new VitalSigns("edge-gateway", "edge-gateway-test-1", 1000, null, List.of(),
                    List.of(new VitalSigns.Breaker("catalog", "OPEN")), null, Map.of()));
            publishVitalSigns(new VitalSigns("cart-order", "cart-order-test-1", 1000, new VitalSigns.Outbox(17, 2),
                    List.of(new VitalSigns.ConsumerLag("cart-order.payments-test", 42)), List.of(), null,
                    Map.of("outOfStockRefusals", 4L)));

            await().atMost(Duration.ofSeconds(30)).until(() -> data(metrics).stream().map(this::parse).anyMatch(figures ->
                    contains(figures.path("breakers"), breaker -> breaker.path("instance").asString().equals("edge-gateway-test-1")
                            && breaker.path("name").asString().equals("catalog") && breaker.path("state").asString().equals("OPEN"))
                            && contains(figures.path("consumerLag"), lag -> lag.path("group").asString().equals("cart-order.payments-test")
                                    && lag.path("lag").asLong() == 42)
                            && contains(figures.path("outboxBacklog"), outbox -> outbox.path("service").asString().equals("cart-order")
                                    && outbox.path("backlog").asLong() == 17 && outbox.path("parked").asLong() == 2)
                            && contains(figures.path("instances"), heard -> heard.path("instance").asString().equals("cart-order-test-1")
                                    && !heard.path("silent").asBoolean())));
            await().atMost(Duration.ofSeconds(10)).until(() -> data(metrics).stream().map(this::parse)
                    .anyMatch(figures -> figures.path("outOfStockRefusals").asLong() >= 4));
        }
        finally {
            stream.dispose();
        }
    }

    private static boolean contains(JsonNode array, java.util.function.Predicate<JsonNode> matching) {
        for (JsonNode item : array) {
            if (matching.test(item)) {
                return true;
            }
        }
        return false;
    }

    private void publishVitalSigns(VitalSigns signs) {
        StepVerifier.create(events.publish(EventEnvelope.of(signs.instance(), 1, signs))).verifyComplete();
    }

    @Test
    void aFullInstanceAnswersServiceUnavailableWithRetryAfter() {
        await().atMost(Duration.ofSeconds(10)).until(() -> limits.open() == 0);
        List<List<ServerSentEvent<String>>> received = new ArrayList<>();
        List<Disposable> open = new ArrayList<>();
        for (int i = 0; i < MAX_STREAMS; i++) {
            List<ServerSentEvent<String>> events = new CopyOnWriteArrayList<>();
            received.add(events);
            open.add(stream(i % 2 == 0 ? "/api/ops/metrics" : "/api/ops/events", events));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> received.stream().noneMatch(List::isEmpty));
        http.get().uri("/api/ops/events")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + identity.opsToken("oscar"))
                .accept(MediaType.TEXT_EVENT_STREAM)
                .exchange()
                .expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
                .expectHeader().valueEquals(HttpHeaders.RETRY_AFTER, "7")
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type").isEqualTo("https://surge.dev/problems/streams-full");
        open.forEach(Disposable::dispose);
        // a stream closed by its client is let go when the server sees the close, at the latest at its next
        // write (a heartbeat: 15 s); a loaded machine took longer than 10 s
        await().atMost(Duration.ofSeconds(30)).until(() -> limits.open() == 0);
    }

    private Disposable stream(String path, List<ServerSentEvent<String>> into) {
        return WebClient.create("http://127.0.0.1:" + port).get().uri(path)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + identity.opsToken("olga"))
                .accept(MediaType.TEXT_EVENT_STREAM)
                .retrieve()
                .bodyToFlux(SSE)
                .subscribe(into::add);
    }

    private static List<ServerSentEvent<String>> data(List<ServerSentEvent<String>> events) {
        return events.stream().filter(event -> event.data() != null).toList();
    }

    private JsonNode parse(ServerSentEvent<String> event) {
        return json.readTree(event.data());
    }

    private static OrderPlaced placed(UUID order, String userId) {
        Money total = new Money(2_990, "EUR");
        return new OrderPlaced(order, userId, userId + "@shop.test",
                List.of(new OrderLine("CUP-1", "Espresso cup", 1, new Money(2_500, "EUR"), new Money(2_500, "EUR"))),
                new Money(2_500, "EUR"), new Money(435, "EUR"), new Money(490, "EUR"), total);
    }

    private void publish(UUID order, long version, Event event) {
        StepVerifier.create(events.publish(EventEnvelope.of(order.toString(), version, event))).verifyComplete();
    }
}
