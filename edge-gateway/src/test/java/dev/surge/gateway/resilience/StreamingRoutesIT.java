package dev.surge.gateway.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;

import dev.surge.testsupport.Infrastructure;
import dev.surge.testsupport.IntegrationTest;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.ChannelOption;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.test.StepVerifier;

/**
 * The routes to services that answer slowly or not at all, against a real Reactor Netty server
 * standing in for cart-order and notify: an ordinary call past its breaker's time limit is a 503
 * problem; a stream that starts late and stays quiet for longer than both that limit and the
 * gateway's 10 s response timeout reaches the shopper whole; a POST is never sent twice.
 */
@IntegrationTest(database = false, kafka = false)
@TestPropertySource(properties = "surge.gateway.resilience.breakers.cart-order.timeout=1s")
class StreamingRoutesIT {

    /** Past cart-order's 1 s time limit in this class. */
    private static final Duration FIRST_EVENT = Duration.ofMillis(1500);

    /** Then quiet long enough that the stream outlives the 10 s response timeout too. */
    private static final Duration SECOND_EVENT = Duration.ofMillis(10_000);

    private static final AtomicInteger ORDERS_RECEIVED = new AtomicInteger();

    private static final DisposableServer SERVICES = HttpServer.create()
            .host("127.0.0.1")
            .port(0)
            // events are written from Reactor timer threads: plain heap buffers never wait on a pool's lock
            .childOption(ChannelOption.ALLOCATOR, UnpooledByteBufAllocator.DEFAULT)
            .route(routes -> routes
                    .get("/api/cart", (request, response) -> Mono.never())
                    .get("/api/orders", (request, response) -> response.header(HttpHeaders.CONTENT_TYPE, "application/json")
                            .sendString(Mono.just("[]")))
                    // a checkout that reaches the service and loses its connection before any answer
                    .post("/api/orders", (request, response) -> request.receive()
                            .aggregate()
                            .doOnNext(body -> ORDERS_RECEIVED.incrementAndGet())
                            .then(Mono.fromRunnable(() -> request.withConnection(connection -> connection.channel().close()))))
                    .get("/api/orders/events", (request, response) -> slowStream(response))
                    .get("/api/ops/metrics", (request, response) -> slowStream(response))
                    .get("/api/flash-sales/{sku}/queue", (request, response) -> slowStream(response)))
            .bindNow();

    @Autowired
    WebTestClient http;

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void upstreams(DynamicPropertyRegistry registry) {
        registry.add("surge.services.cart-order", () -> "http://127.0.0.1:" + SERVICES.port());
        registry.add("surge.services.notify", () -> "http://127.0.0.1:" + SERVICES.port());
    }

    @AfterAll
    static void stop() {
        SERVICES.disposeNow();
    }

    @Test
    void aCallPastItsBreakersTimeLimitIsAServiceUnavailableProblem() {
        http.get().uri("/api/cart")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + Infrastructure.identityProvider().shopperToken("sam"))
                .exchange()
                .expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
                .expectHeader().valueEquals(HttpHeaders.RETRY_AFTER, "10")
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type").isEqualTo("https://surge.dev/problems/service-unavailable")
                .jsonPath("$.service").isEqualTo("cart-order");
    }

    @Test
    void aCheckoutWhoseConnectionDropsIsSentOnceAndAnsweredWithAProblem() {
        int before = ORDERS_RECEIVED.get();
        // leaves a keep-alive connection in the gateway's pool for the checkout to reuse, the case where
        // an HTTP client is most tempted to resend a request on a connection that died
        http.get().uri("/api/orders")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + Infrastructure.identityProvider().shopperToken("sam"))
                .exchange()
                .expectStatus().isOk();

        http.post().uri("/api/orders")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + Infrastructure.identityProvider().shopperToken("sam"))
                .header("Idempotency-Key", "k-1")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{}")
                .exchange()
                .expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.service").isEqualTo("cart-order");

        assertThat(ORDERS_RECEIVED.get() - before).as("the checkout reached cart-order once, never retried").isEqualTo(1);
    }

    @Test
    void streamsOutliveTheTimeLimitAndTheResponseTimeout() {
        WebClient client = WebClient.create("http://127.0.0.1:" + port);
        String shopper = Infrastructure.identityProvider().shopperToken("sam");
        String ops = Infrastructure.identityProvider().opsToken("olga");

        Mono<List<List<String>>> streams = Flux.merge(
                        events(client, "/api/orders/events", shopper),
                        events(client, "/api/flash-sales/SKU-1/queue", shopper),
                        events(client, "/api/ops/metrics", ops))
                .collectList();

        StepVerifier.create(streams)
                .assertNext(all -> assertThat(all).hasSize(3).allSatisfy(events -> assertThat(events)
                        .containsExactly("first", "second")))
                .expectComplete()
                .verify(Duration.ofSeconds(30));
    }

    private static Mono<List<String>> events(WebClient client, String path, String token) {
        return client.get().uri(path)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .accept(MediaType.TEXT_EVENT_STREAM)
                .retrieve()
                .bodyToFlux(String.class)
                .collectList();
    }

    private static Mono<Void> slowStream(reactor.netty.http.server.HttpServerResponse response) {
        return response.header(HttpHeaders.CONTENT_TYPE, MediaType.TEXT_EVENT_STREAM_VALUE)
                .sendString(Flux.concat(
                        Mono.delay(FIRST_EVENT).thenReturn("data: first\n\n"),
                        Mono.delay(SECOND_EVENT).thenReturn("data: second\n\n")))
                .then();
    }
}
