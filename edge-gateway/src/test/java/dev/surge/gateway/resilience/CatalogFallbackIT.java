package dev.surge.gateway.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.cloud.circuitbreaker.resilience4j.ReactiveResilience4JCircuitBreakerFactory;
import org.springframework.cloud.circuitbreaker.resilience4j.ReactiveResilience4jBulkheadProvider;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;

import dev.surge.gateway.FakeCatalog;
import dev.surge.testsupport.Infrastructure;
import dev.surge.testsupport.IntegrationTest;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.netty.handler.codec.http.HttpResponseStatus;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.test.StepVerifier;

/**
 * The catalog routes when catalog is down, slow or unhealthy: the breaker opens, kept answers come
 * back marked stale, anything else is a 503 problem with Retry-After, and when catalog returns the
 * breaker closes by itself. Timings are shortened so the whole story takes seconds.
 */
@IntegrationTest(database = false, kafka = false)
// the production time limit: no answer here is timed against it but the one meant to exceed it
@TestPropertySource(properties = {
        "surge.gateway.resilience.breakers.catalog.timeout=3s",
        "surge.gateway.resilience.breakers.catalog.minimum-calls=2",
        "surge.gateway.resilience.breakers.catalog.wait-in-open=1s",
        "surge.gateway.resilience.breakers.catalog.probes-in-half-open=1"})
class CatalogFallbackIT {

    private static final FakeCatalog CATALOG = FakeCatalog.start();

    @Autowired
    WebTestClient http;

    @Autowired
    ReactiveResilience4JCircuitBreakerFactory breakers;

    @Autowired
    ReactiveResilience4jBulkheadProvider bulkheads;

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void upstream(DynamicPropertyRegistry registry) {
        registry.add("surge.services.catalog", CATALOG::url);
    }

    @AfterAll
    static void stopUpstream() {
        CATALOG.close();
    }

    @BeforeEach
    void healthyCatalogAndClosedBreaker() {
        CATALOG.reset();
        breakers.getCircuitBreakerRegistry().find("catalog").ifPresent(CircuitBreaker::reset);
    }

    @Test
    void servesTheLastGoodAnswerMarkedStaleWhileCatalogIsDown() {
        fresh("/api/products/SKU-1?view=full");
        fresh("/api/products/search?q=phone");
        http.get().uri("/api/categories").exchange().expectStatus().isOk();
        http.get().uri("/images/sku-1.png").exchange().expectStatus().isOk();

        CATALOG.stop();

        http.get().uri("/api/products/SKU-1?view=full")
                .exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals(StaleAnswers.STALE_HEADER, "true")
                .expectHeader().exists(HttpHeaders.AGE)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectBody()
                .jsonPath("$.sku").isEqualTo("SKU-1")
                .jsonPath("$.generation").isEqualTo(CATALOG.generation())
                .jsonPath("$.stale").isEqualTo(true);
        stale("/api/products/search?q=phone");
        // an array has no place for a field: the header alone says it is stale
        http.get().uri("/api/categories")
                .exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals(StaleAnswers.STALE_HEADER, "true")
                .expectBody()
                .jsonPath("$[0].slug").isEqualTo("phones");
        http.get().uri("/images/sku-1.png")
                .exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals(StaleAnswers.STALE_HEADER, "true")
                .expectHeader().contentType("image/png")
                .expectBody(byte[].class).isEqualTo(FakeCatalog.IMAGE);
        // a parameter catalog does not read makes no other answer, so it shares the copy
        stale("/api/products/SKU-1?view=short");
        // one catalog reads is part of the key: this search was never answered
        unavailable("/api/products/search?q=tablet");
    }

    @Test
    void answersAServiceUnavailableProblemForWhatItNeverServed() {
        CATALOG.stop();

        unavailable("/api/products/NEVER-SERVED");
        http.post().uri("/api/admin/products")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + Infrastructure.identityProvider().opsToken("olga"))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"sku\":\"NEW\"}")
                .exchange()
                .expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
                .expectHeader().valueEquals(HttpHeaders.RETRY_AFTER, "1")
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void opensTheBreakerAndClosesItByItselfWhenCatalogReturns() {
        fresh("/api/products/SKU-2");
        CATALOG.stop();
        stale("/api/products/SKU-2");
        stale("/api/products/SKU-2");
        assertThat(breakerState()).isEqualTo(CircuitBreaker.State.OPEN);
        // open: answered without trying catalog, still from the kept copy
        stale("/api/products/SKU-2");

        CATALOG.restart();

        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> http
                .get().uri("/api/products/SKU-2")
                .exchange()
                .expectStatus().isOk()
                .expectHeader().doesNotExist(StaleAnswers.STALE_HEADER)
                .expectBody()
                .jsonPath("$.generation").isEqualTo(CATALOG.generation())
                .jsonPath("$.stale").doesNotExist());
        assertThat(breakerState()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void servesStaleWhenCatalogIsTooSlow() {
        fresh("/api/products/SKU-3");
        // far past the time limit: a stale answer can only come from the time limit cutting the call
        CATALOG.answerAfter(Duration.ofMinutes(5));

        staleWithin(Duration.ofSeconds(30), "/api/products/SKU-3");
        unavailableWithin(Duration.ofSeconds(30), "/api/products/SKU-4");
    }

    @Test
    void treatsAnUnavailableAnswerFromCatalogAsAFailure() {
        fresh("/api/products/SKU-5");
        CATALOG.failWith(HttpResponseStatus.SERVICE_UNAVAILABLE);

        stale("/api/products/SKU-5");
        unavailable("/api/products/SKU-6");
    }

    @Test
    void letsFarMoreConcurrentCallsThroughThanTheDefaultBulkhead() {
        int concurrent = 60;
        WebClient client = WebClient.builder()
                .baseUrl("http://127.0.0.1:" + port)
                .clientConnector(new ReactorClientHttpConnector(HttpClient.create(ConnectionProvider.builder("burst")
                        .maxConnections(concurrent)
                        .build())))
                .build();
        // a first, ungated round opens the connections on both sides and warms the path
        StepVerifier.create(burst(client, concurrent))
                .assertNext(all -> assertThat(all).hasSize(concurrent).allSatisfy(CatalogFallbackIT::freshOk))
                .expectComplete()
                .verify(Duration.ofSeconds(30));

        // answers held until all 60 are in flight at once (or 1.5 s, well inside the 3 s time limit, on a slow
        // machine): the default bulkhead of 25 would refuse every call beyond the 25th at once
        CATALOG.answerOnceInFlight(concurrent, Duration.ofMillis(1500));
        Mono<List<ResponseEntity<String>>> answers = burst(client, concurrent);

        StepVerifier.create(answers)
                .assertNext(all -> assertThat(all).hasSize(concurrent).allSatisfy(CatalogFallbackIT::freshOk))
                .expectComplete()
                .verify(Duration.ofSeconds(30));
        assertThat(CATALOG.heldAtOnce()).as("calls in flight at once").isGreaterThan(25);
        assertThat(breakerState()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(bulkheads.getBulkheadRegistry().bulkhead("catalog").getBulkheadConfig().getMaxConcurrentCalls())
                .isEqualTo(512);
    }

    private static void freshOk(ResponseEntity<String> answer) {
        assertThat(answer.getStatusCode()).as(answer.getBody()).isEqualTo(HttpStatus.OK);
        assertThat(answer.getHeaders().containsHeader(StaleAnswers.STALE_HEADER)).as(answer.getBody()).isFalse();
    }

    private static Mono<List<ResponseEntity<String>>> burst(WebClient client, int concurrent) {
        return Flux.range(0, concurrent)
                .flatMap(i -> client.get().uri("/api/products/BURST-" + i)
                        .exchangeToMono(response -> response.toEntity(String.class)), concurrent)
                .collectList();
    }

    @Test
    void showsTheBreakerAndBulkheadToPrometheus() {
        fresh("/api/products/SKU-7");

        String metrics = http.get().uri("/actuator/prometheus")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + Infrastructure.identityProvider().opsToken("olga"))
                .exchange()
                .expectStatus().isOk()
                .expectBody(String.class)
                .returnResult()
                .getResponseBody();

        assertThat(metrics)
                .containsPattern("resilience4j_circuitbreaker_state\\{[^}]*name=\"catalog\"[^}]*state=\"closed\"[^}]*} 1.0")
                .containsPattern("resilience4j_bulkhead_max_allowed_concurrent_calls\\{[^}]*name=\"catalog\"[^}]*} 512.0");
    }

    private void fresh(String path) {
        http.get().uri(path)
                .exchange()
                .expectStatus().isOk()
                .expectHeader().doesNotExist(StaleAnswers.STALE_HEADER)
                .expectBody()
                .jsonPath("$.stale").doesNotExist();
    }

    private void stale(String path) {
        http.get().uri(path)
                .exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals(StaleAnswers.STALE_HEADER, "true")
                .expectBody()
                .jsonPath("$.stale").isEqualTo(true);
    }

    private void staleWithin(Duration wait, String path) {
        http.mutate().responseTimeout(wait).build()
                .get().uri(path)
                .exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals(StaleAnswers.STALE_HEADER, "true");
    }

    private void unavailable(String path) {
        unavailableWithin(Duration.ofSeconds(5), path);
    }

    private void unavailableWithin(Duration wait, String path) {
        http.mutate().responseTimeout(wait).build()
                .get().uri(path)
                .exchange()
                .expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
                .expectHeader().valueEquals(HttpHeaders.RETRY_AFTER, "1")
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type").isEqualTo("https://surge.dev/problems/service-unavailable")
                .jsonPath("$.title").isEqualTo("Service Unavailable")
                .jsonPath("$.status").isEqualTo(503)
                .jsonPath("$.service").isEqualTo("catalog")
                .jsonPath("$.detail").value(detail -> assertThat((String) detail).contains("catalog"));
    }

    private CircuitBreaker.State breakerState() {
        return breakers.getCircuitBreakerRegistry().circuitBreaker("catalog").getState();
    }
}
