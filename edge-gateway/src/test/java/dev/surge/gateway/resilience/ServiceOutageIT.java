package dev.surge.gateway.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.cloud.circuitbreaker.resilience4j.ReactiveResilience4JCircuitBreakerFactory;
import org.springframework.cloud.circuitbreaker.resilience4j.Resilience4JConfigurationProperties;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.surge.events.ops.VitalSigns;
import dev.surge.messaging.VitalSignsSource;
import dev.surge.testsupport.Infrastructure;
import dev.surge.testsupport.IntegrationTest;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;

/**
 * Every route but catalog's (which has its own story in {@link CatalogFallbackIT}) with its
 * service down: a 503 problem naming the service, with {@code Retry-After}, at once. Nothing
 * listens on port 1, so every connection is refused.
 */
@IntegrationTest(database = false, kafka = false)
@TestPropertySource(properties = "surge.gateway.resilience.breakers.cart-order.minimum-calls=2")
class ServiceOutageIT {

    private static final String SHOPPER = Infrastructure.identityProvider().shopperToken("sam");

    private static final String OPS = Infrastructure.identityProvider().opsToken("olga");

    /** One request per route and kind of path, with a token allowed there. */
    private static final List<Call> CALLS = List.of(
            new Call(HttpMethod.GET, "/api/users/me", SHOPPER, "cart-order"),
            new Call(HttpMethod.GET, "/api/cart", SHOPPER, "cart-order"),
            new Call(HttpMethod.POST, "/api/cart/items", SHOPPER, "cart-order"),
            new Call(HttpMethod.POST, "/api/cart/prices", SHOPPER, "cart-order"),
            new Call(HttpMethod.POST, "/api/orders", SHOPPER, "cart-order"),
            new Call(HttpMethod.GET, "/api/orders/42", SHOPPER, "cart-order"),
            new Call(HttpMethod.PUT, "/api/admin/inventory/SKU-1", OPS, "cart-order"),
            new Call(HttpMethod.PUT, "/api/admin/flash-sales/SKU-1", OPS, "cart-order"),
            new Call(HttpMethod.POST, "/api/flash-sales/SKU-1/queue", SHOPPER, "cart-order"),
            new Call(HttpMethod.GET, "/api/flash-sales/SKU-1/queue", SHOPPER, "cart-order"),
            new Call(HttpMethod.GET, "/api/orders/events", SHOPPER, "notify"),
            new Call(HttpMethod.GET, "/api/orders/42/events", SHOPPER, "notify"),
            new Call(HttpMethod.GET, "/api/ops/events", OPS, "notify"),
            new Call(HttpMethod.GET, "/api/ops/metrics", OPS, "notify"),
            new Call(HttpMethod.GET, "/api/ops/dead-letters", OPS, "notify"),
            new Call(HttpMethod.GET, "/api/ops/payments", OPS, "fulfilment"),
            new Call(HttpMethod.GET, "/api/ops/shipments", OPS, "fulfilment"));

    @Autowired
    WebTestClient http;

    @Autowired
    ReactiveResilience4JCircuitBreakerFactory breakers;

    @Autowired
    Resilience4JConfigurationProperties factorySettings;

    @Autowired
    VitalSignsSource vitalSigns;

    @DynamicPropertySource
    static void upstreams(DynamicPropertyRegistry registry) {
        registry.add("surge.services.cart-order", () -> "http://127.0.0.1:1");
        registry.add("surge.services.fulfilment", () -> "http://127.0.0.1:1");
        registry.add("surge.services.notify", () -> "http://127.0.0.1:1");
    }

    @BeforeEach
    void closedBreakers() {
        breakers.getCircuitBreakerRegistry().getAllCircuitBreakers().forEach(CircuitBreaker::reset);
    }

    @Test
    void everyRouteAnswersAServiceUnavailableProblemWithRetryAfterWhenItsServiceIsDown() {
        for (Call call : CALLS) {
            http.method(call.method()).uri(call.path())
                    .header(HttpHeaders.AUTHORIZATION, "Bearer " + call.token())
                    .contentType(MediaType.APPLICATION_JSON)
                    .bodyValue("{}")
                    .exchange()
                    .expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
                    .expectHeader().valueEquals(HttpHeaders.RETRY_AFTER, "10")
                    .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody()
                    .jsonPath("$.type").isEqualTo("https://surge.dev/problems/service-unavailable")
                    .jsonPath("$.status").isEqualTo(503)
                    .jsonPath("$.service").isEqualTo(call.service())
                    .jsonPath("$.detail").isEqualTo("The " + call.service() + " service is unavailable; try again in 10 s.")
                    .jsonPath("$.instance").isEqualTo(call.path());
        }
    }

    @Test
    void everyServiceHasItsOwnBreakerAndStreamsTheirsWithoutATimeLimit() {
        for (Call call : CALLS) {
            http.method(call.method()).uri(call.path())
                    .header(HttpHeaders.AUTHORIZATION, "Bearer " + call.token())
                    .exchange()
                    .expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        }

        assertThat(breakers.getCircuitBreakerRegistry().getAllCircuitBreakers())
                .extracting(CircuitBreaker::getName)
                .contains("cart-order", "cart-order-streams", "notify", "notify-streams", "fulfilment");
        assertThat(factorySettings.getDisableTimeLimiterMap())
                .containsEntry("cart-order-streams", true)
                .containsEntry("notify-streams", true)
                .doesNotContainKeys("cart-order", "notify", "fulfilment", "catalog");
    }

    @Test
    void anOpenBreakerAnswersTheSameWithoutCallingTheService() {
        for (int i = 0; i < 2; i++) {
            shopperGetsUnavailable("/api/cart");
        }
        assertThat(breakers.getCircuitBreakerRegistry().circuitBreaker("cart-order").getState())
                .isEqualTo(CircuitBreaker.State.OPEN);
        // the gateway's vital signs say so, beside every other configured breaker
        assertThat(vitalSigns.breakers())
                .contains(new VitalSigns.Breaker("cart-order", "OPEN"), new VitalSigns.Breaker("catalog", "CLOSED"))
                .extracting(VitalSigns.Breaker::name)
                .contains("cart-order-streams", "notify", "notify-streams", "fulfilment");
        long refusedBefore = breakers.getCircuitBreakerRegistry().circuitBreaker("cart-order").getMetrics()
                .getNumberOfNotPermittedCalls();

        shopperGetsUnavailable("/api/users/me");

        assertThat(breakers.getCircuitBreakerRegistry().circuitBreaker("cart-order").getMetrics()
                .getNumberOfNotPermittedCalls()).isEqualTo(refusedBefore + 1);
    }

    private void shopperGetsUnavailable(String path) {
        http.get().uri(path)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + SHOPPER)
                .exchange()
                .expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
                .expectHeader().valueEquals(HttpHeaders.RETRY_AFTER, "10")
                .expectBody()
                .jsonPath("$.service").isEqualTo("cart-order");
    }

    private record Call(HttpMethod method, String path, String token, String service) {
    }
}
