package dev.surge.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.cloud.circuitbreaker.resilience4j.ReactiveResilience4JCircuitBreakerFactory;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;

import dev.surge.testsupport.Infrastructure;
import dev.surge.testsupport.IntegrationTest;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpHeaderNames;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.LoopResources;

/**
 * cart-order as two real instances behind the gateway: requests take turns, and with one instance
 * stopped every request, a POST with its body included, is answered by the other, none with an error.
 */
@IntegrationTest(database = false, kafka = false)
// a hung instance's calls then run out of time in 900 ms (the attempt's limit, a little under the service's)
// an opened breaker stays open for the whole test: with the 10 s default, a slow machine took long enough
// opening the second instance's that the first one's had already turned half-open
@TestPropertySource(properties = {"surge.gateway.resilience.breakers.cart-order.timeout=1s",
        "surge.gateway.resilience.breakers.cart-order.wait-in-open=60s"})
class ServiceInstancesIT {

    private static final String SHOPPER = Infrastructure.identityProvider().shopperToken("sam");

    /** cart-order's own 503: an answer, with its own type and Retry-After, not an outage. */
    private static final String PAUSED = "{\"type\":\"https://surge.dev/problems/flash-sale-paused\",\"title\":\"Flash sale paused\","
            + "\"status\":503,\"detail\":\"Nothing was ordered: try again shortly\"}";

    private static final Instance FIRST = new Instance("first");
    private static final Instance SECOND = new Instance("second");

    @Autowired
    WebTestClient http;

    @Autowired
    ReactiveResilience4JCircuitBreakerFactory breakers;

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void instances(DynamicPropertyRegistry registry) {
        registry.add("surge.services.cart-order", FIRST::url);
        registry.add("surge.gateway.instances.cart-order", () -> FIRST.url() + "," + SECOND.url());
    }

    @AfterAll
    static void stopInstances() {
        FIRST.close();
        SECOND.close();
    }

    @BeforeEach
    void bothUp() {
        FIRST.start();
        SECOND.start();
        FIRST.answer();
        SECOND.answer();
        resetBreakers();
        // an instance refused earlier is passed over for a while: wait until both take requests again
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            FIRST.forget();
            SECOND.forget();
            for (int i = 0; i < 4; i++) {
                getCart();
            }
            return FIRST.received().size() == 2 && SECOND.received().size() == 2;
        });
        FIRST.forget();
        SECOND.forget();
        // and every breaker starts afresh, without the calls above
        resetBreakers();
    }

    /** A test's opened breaker would stay open for 10 s, the service's for every test after it. */
    @AfterEach
    void resetBreakers() {
        breakers.getCircuitBreakerRegistry().getAllCircuitBreakers().forEach(CircuitBreaker::reset);
    }

    @Test
    void requestsTakeTurnsBetweenTheInstances() {
        List<String> answeredBy = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            answeredBy.add(getCart());
        }

        assertThat(answeredBy).containsOnly("first", "second");
        for (int i = 1; i < answeredBy.size(); i++) {
            assertThat(answeredBy.get(i)).as("request %d", i).isNotEqualTo(answeredBy.get(i - 1));
        }
        assertThat(FIRST.received()).hasSize(5);
        assertThat(SECOND.received()).hasSize(5);
    }

    @Test
    void aStoppedInstanceCostsNoRequestAnErrorNotEvenAPost() throws IOException {
        FIRST.stop();

        for (int i = 0; i < 6; i++) {
            assertThat(getCart()).isEqualTo("second");
            String body = "{\"attempt\":" + i + "}";
            http.post().uri("/api/orders")
                    .header(HttpHeaders.AUTHORIZATION, "Bearer " + SHOPPER)
                    .header("Idempotency-Key", "key-" + i)
                    .contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(body)
                    .exchange()
                    .expectStatus().isOk()
                    .expectBody()
                    .jsonPath("$.instance").isEqualTo("second")
                    .jsonPath("$.body").isEqualTo(body);
        }

        // path and query reach the other instance as they were sent, encoded characters included
        // (sent as raw bytes: a client that encodes its own would hide what the gateway does with them)
        String target = "/api/cart?note=%5Bfirst%5D%20try&x=%C3%A9";
        assertThat(rawGet(target)).startsWith("HTTP/1.1 200");
        assertThat(SECOND.received().getLast()).isEqualTo("GET " + target + " ");

        assertThat(SECOND.received()).hasSize(13);
        assertThat(SECOND.received().stream().filter(line -> line.startsWith("POST /api/orders {\"attempt\"")))
                .hasSize(6);
    }

    @Test
    void anInstanceBackAfterAStopTakesItsTurnsAgain() {
        FIRST.stop();
        for (int i = 0; i < 4; i++) {
            assertThat(getCart()).isEqualTo("second");
        }

        FIRST.start();

        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> assertThat(getCart()).isEqualTo("first"));
    }

    @Test
    void anInstanceThatDiesWithRequestsInFlightOpensItsOwnBreakerNotTheServices() {
        // as an instance killed under load: every request it takes is cut off before its answer
        FIRST.dropRequests();

        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            statuses.add(cartStatus());
        }

        // the requests it took failed (cut off mid-way, they may have taken effect: none is sent again),
        // its breaker opened after the service's minimum of 20 calls, and from then on it was passed over
        int cutOff = FIRST.received().size();
        assertThat(cutOff).isEqualTo(20);
        assertThat(statuses.stream().filter(status -> status == 503)).hasSize(cutOff);
        assertThat(statuses.subList(40, 60)).containsOnly(200);
        assertThat(SECOND.received()).hasSize(60 - cutOff);
        assertThat(breaker("cart-order@" + FIRST.authority()).getState()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(breaker("cart-order@" + SECOND.authority()).getState()).isEqualTo(CircuitBreaker.State.CLOSED);
        // the service's breaker counted none of the first instance's failures: it stays closed for everyone
        CircuitBreaker service = breaker("cart-order");
        assertThat(service.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(service.getMetrics().getNumberOfFailedCalls()).isZero();
        assertThat(service.getMetrics().getNumberOfSuccessfulCalls()).isEqualTo(60 - cutOff);
    }

    @Test
    void withEveryInstanceFailingTheServicesBreakerOpensAndAnswers503WithRetryAfter() {
        FIRST.dropRequests();
        SECOND.dropRequests();

        // each instance's breaker opens after 20 failures; then no instance may be called, which the service's counts
        List<Integer> statuses = new ArrayList<>();
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            statuses.add(cartStatus());
            return breaker("cart-order").getState() == CircuitBreaker.State.OPEN;
        });
        // every request was answered 503 on the way: cut off, then not permitted anywhere, then the open breaker
        assertThat(statuses).hasSizeGreaterThan(40).containsOnly(503);
        assertThat(breaker("cart-order@" + FIRST.authority()).getState()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(breaker("cart-order@" + SECOND.authority()).getState()).isEqualTo(CircuitBreaker.State.OPEN);

        int received = FIRST.received().size() + SECOND.received().size();
        http.get().uri("/api/cart")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + SHOPPER)
                .exchange()
                .expectStatus().isEqualTo(503)
                .expectHeader().valueEquals(HttpHeaders.RETRY_AFTER, "60")
                .expectBody()
                .jsonPath("$.service").isEqualTo("cart-order");
        assertThat(FIRST.received().size() + SECOND.received().size()).as("calls while every breaker is open").isEqualTo(received);
    }

    @Test
    void anInstanceThatHangsOpensItsOwnBreakerWithinTheServicesTimeLimit() {
        // as an instance stopped dead (SIGSTOP, a full GC): it takes requests and never answers
        FIRST.hang();

        // at once, as under load: every second request waits on the first instance
        List<Integer> statuses = Flux.range(0, 60)
                .flatMap(i -> WebClient.create("http://127.0.0.1:" + port).get().uri("/api/cart")
                        .header(HttpHeaders.AUTHORIZATION, "Bearer " + SHOPPER)
                        .exchangeToMono(answer -> answer.releaseBody().thenReturn(answer.statusCode().value())), 60)
                .collectList()
                .block(Duration.ofSeconds(30));

        // its calls ran out of time a little before the service's 1 s limit, where its own breaker counted them
        assertThat(FIRST.received()).hasSize(30);
        assertThat(statuses.stream().filter(status -> status == 503)).hasSize(30);
        assertThat(statuses.stream().filter(status -> status == 200)).hasSize(30);
        assertThat(breaker("cart-order@" + FIRST.authority()).getState()).isEqualTo(CircuitBreaker.State.OPEN);
        CircuitBreaker service = breaker("cart-order");
        assertThat(service.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(service.getMetrics().getNumberOfFailedCalls()).isZero();
        for (int i = 0; i < 10; i++) {
            assertThat(getCart()).isEqualTo("second");
        }
    }

    @Test
    void aClientsOwnErrorStaysWhatItIsWithSeveralInstances() {
        // a chunked body past the gateway's 1 MB limit, found while it is being sent to an instance
        Flux<DataBuffer> chunks = Flux.range(0, 32).map(i -> DefaultDataBufferFactory.sharedInstance.wrap(new byte[64 * 1024]));
        for (int i = 0; i < 2; i++) {
            http.post().uri("/api/cart/items")
                    .header(HttpHeaders.AUTHORIZATION, "Bearer " + SHOPPER)
                    .contentType(MediaType.APPLICATION_JSON)
                    .body(chunks, DataBuffer.class)
                    .exchange()
                    .expectStatus().isEqualTo(413)
                    .expectBody().jsonPath("$.type").isEqualTo("https://surge.dev/problems/payload-too-large");
        }
        // no breaker counted the client's error
        assertThat(breaker("cart-order@" + FIRST.authority()).getMetrics().getNumberOfFailedCalls()).isZero();
        assertThat(breaker("cart-order@" + SECOND.authority()).getMetrics().getNumberOfFailedCalls()).isZero();
        assertThat(breaker("cart-order").getMetrics().getNumberOfFailedCalls()).isZero();
    }

    @Test
    void aServicesOwn503PassesThroughAsItWasAndNoBreakerCountsIt() {
        FIRST.pause();
        SECOND.pause();

        for (int i = 0; i < 30; i++) {
            http.post().uri("/api/orders")
                    .header(HttpHeaders.AUTHORIZATION, "Bearer " + SHOPPER)
                    .header("Idempotency-Key", "paused-" + i)
                    .contentType(MediaType.APPLICATION_JSON)
                    .bodyValue("{}")
                    .exchange()
                    .expectStatus().isEqualTo(503)
                    .expectHeader().valueEquals(HttpHeaders.RETRY_AFTER, "7")
                    .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody()
                    .jsonPath("$.type").isEqualTo("https://surge.dev/problems/flash-sale-paused")
                    .jsonPath("$.detail").isEqualTo("Nothing was ordered: try again shortly")
                    .jsonPath("$.service").doesNotExist();
        }

        // the route counts 502 and 504 only: a 503 problem of cart-order's own is its answer, not its outage
        assertThat(FIRST.received()).hasSize(15);
        assertThat(SECOND.received()).hasSize(15);
        for (String name : List.of("cart-order", "cart-order@" + FIRST.authority(), "cart-order@" + SECOND.authority())) {
            assertThat(breaker(name).getState()).as(name).isEqualTo(CircuitBreaker.State.CLOSED);
            assertThat(breaker(name).getMetrics().getNumberOfFailedCalls()).as(name).isZero();
        }
    }

    /** A GET written to the gateway's socket as it is, answered with its status line. */
    private String rawGet(String target) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                    + SHOPPER + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1).lines().findFirst().orElse("");
        }
    }

    private CircuitBreaker breaker(String name) {
        return breakers.getCircuitBreakerRegistry().find(name).orElseThrow(() -> new AssertionError("no breaker " + name));
    }

    private int cartStatus() {
        return http.get().uri("/api/cart")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + SHOPPER)
                .exchange()
                .returnResult(String.class)
                .getStatus()
                .value();
    }

    private String getCart() {
        Map<?, ?> answer = http.get().uri("/api/cart")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + SHOPPER)
                .exchange()
                .expectStatus().isOk()
                .expectBody(Map.class)
                .returnResult()
                .getResponseBody();
        return String.valueOf(answer.get("instance"));
    }

    /** A real HTTP server standing in for one cart-order instance, on a port it keeps across stops. */
    private static final class Instance implements AutoCloseable {

        private final String name;
        private final List<String> received = new CopyOnWriteArrayList<>();
        private final Set<Channel> open = ConcurrentHashMap.newKeySet();
        // its own event loop: a gateway context that closes disposes Reactor Netty's shared one
        private final LoopResources loops;
        private volatile DisposableServer server;
        private volatile int port;
        private volatile boolean dropping;
        private volatile boolean hanging;
        private volatile boolean paused;

        Instance(String name) {
            this.name = name;
            this.loops = LoopResources.create("instance-" + name, 1, true);
            start();
        }

        synchronized void start() {
            if (server != null) {
                return;
            }
            server = HttpServer.create()
                    .runOn(loops)
                    .host("127.0.0.1")
                    .port(port)
                    .doOnConnection(connection -> open.add(connection.channel()))
                    .handle((request, response) -> request.receive().aggregate().asString(StandardCharsets.UTF_8)
                            .defaultIfEmpty("")
                            .flatMap(body -> {
                                received.add(request.method().name() + " " + request.uri() + " " + body);
                                if (hanging) {
                                    return Mono.<Void>never();
                                }
                                if (paused) {
                                    return response.status(503)
                                            .header(HttpHeaderNames.CONTENT_TYPE, "application/problem+json")
                                            .header(HttpHeaderNames.RETRY_AFTER, "7")
                                            .sendString(Mono.just(PAUSED), StandardCharsets.UTF_8)
                                            .then();
                                }
                                if (dropping) {
                                    response.withConnection(connection -> connection.channel().close());
                                    return Mono.<Void>never();
                                }
                                String json = "{\"instance\":\"" + name + "\",\"body\":"
                                        + (body.isEmpty() ? "null" : "\"" + body.replace("\"", "\\\"") + "\"") + "}";
                                return response.header(HttpHeaderNames.CONTENT_TYPE, "application/json")
                                        .sendString(Mono.just(json), StandardCharsets.UTF_8)
                                        .then();
                            }))
                    .bindNow();
            port = server.port();
        }

        /** As when the process dies: it stops listening and its open connections drop. */
        synchronized void stop() {
            if (server != null) {
                server.disposeNow();
                server = null;
            }
            // no longer listening is not enough: the gateway's pooled keep-alive connections would live on
            open.forEach(channel -> channel.close().syncUninterruptibly());
            open.clear();
        }

        String url() {
            return "http://127.0.0.1:" + port;
        }

        String authority() {
            return "127.0.0.1:" + port;
        }

        /** Reads each request, then closes its connection without an answer. */
        void dropRequests() {
            dropping = true;
        }

        /** Reads each request, then never answers it. */
        void hang() {
            hanging = true;
        }

        /** Answers each request with a 503 of its own, as cart-order does when its flash sale's gate is away. */
        void pause() {
            paused = true;
        }

        void answer() {
            dropping = false;
            hanging = false;
            paused = false;
        }

        List<String> received() {
            return List.copyOf(received);
        }

        void forget() {
            received.clear();
        }

        @Override
        public void close() {
            stop();
            loops.disposeLater().block(Duration.ofSeconds(5));
        }
    }
}
