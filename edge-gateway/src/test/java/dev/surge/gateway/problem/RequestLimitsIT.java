package dev.surge.gateway.problem;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.surge.testsupport.Infrastructure;
import dev.surge.testsupport.IntegrationTest;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * Requests too large for the edge, through the gateway to a real server standing in for the
 * services: a body over 1 MB, declared or chunked, is a 413 problem and never reaches the service;
 * a URI over 4,096 characters is a 414 problem, not Netty's bare one.
 */
@IntegrationTest(database = false, kafka = false)
class RequestLimitsIT {

    private static final AtomicInteger REQUESTS = new AtomicInteger();

    /** Reads any body to the end and says how long it was. */
    private static final DisposableServer SERVICES = HttpServer.create()
            .host("127.0.0.1")
            .port(0)
            .handle((request, response) -> request.receive()
                    .aggregate()
                    .map(body -> body.readableBytes())
                    .defaultIfEmpty(0)
                    .doOnNext(bytes -> REQUESTS.incrementAndGet())
                    .flatMap(bytes -> response.header(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_JSON_VALUE)
                            .sendString(Mono.just("{\"bytes\":" + bytes + "}"))
                            .then()))
            .bindNow();

    @Autowired
    WebTestClient http;

    @DynamicPropertySource
    static void upstreams(DynamicPropertyRegistry registry) {
        registry.add("surge.services.catalog", () -> "http://127.0.0.1:" + SERVICES.port());
        registry.add("surge.services.cart-order", () -> "http://127.0.0.1:" + SERVICES.port());
    }

    @AfterAll
    static void stop() {
        SERVICES.disposeNow();
    }

    @Test
    void refusesADeclaredBodyOverTheLimitBeforeItReachesTheService() {
        int before = REQUESTS.get();

        post(json(2 * 1024 * 1024))
                .expectStatus().isEqualTo(HttpStatus.CONTENT_TOO_LARGE)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type").isEqualTo("https://surge.dev/problems/payload-too-large")
                .jsonPath("$.status").isEqualTo(413)
                .jsonPath("$.detail").isEqualTo("The request's body is larger than 1048576 bytes.")
                .jsonPath("$.instance").isEqualTo("/api/cart/items");

        assertThat(REQUESTS.get()).isEqualTo(before);
    }

    @Test
    void refusesAChunkedBodyOnceItPassesTheLimit() {
        Flux<DataBuffer> chunks = Flux.range(0, 32)
                .map(i -> DefaultDataBufferFactory.sharedInstance.wrap(filled(64 * 1024)));

        http.post().uri("/api/cart/items")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + Infrastructure.identityProvider().shopperToken("sam"))
                .contentType(MediaType.APPLICATION_JSON)
                .body(chunks, DataBuffer.class)
                .exchange()
                .expectStatus().isEqualTo(HttpStatus.CONTENT_TOO_LARGE)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type").isEqualTo("https://surge.dev/problems/payload-too-large");
    }

    @Test
    void passesABodyWithinTheLimit() {
        post(json(1024 * 1024))
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.bytes").isEqualTo(1024 * 1024);
    }

    @Test
    void refusesAVeryLongUriWithAProblem() {
        http.get().uri("/api/products/search?q=" + "a".repeat(5000))
                .exchange()
                .expectStatus().isEqualTo(HttpStatus.URI_TOO_LONG)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type").isEqualTo("https://surge.dev/problems/uri-too-long")
                .jsonPath("$.status").isEqualTo(414)
                .jsonPath("$.detail").isEqualTo("The request's URI is longer than 4096 characters.");

        http.get().uri("/api/products/search?q=" + "a".repeat(4000))
                .exchange()
                .expectStatus().isOk();
    }

    private WebTestClient.ResponseSpec post(byte[] body) {
        return http.post().uri("/api/cart/items")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + Infrastructure.identityProvider().shopperToken("sam"))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange();
    }

    /** A JSON string of exactly this many bytes. */
    private static byte[] json(int bytes) {
        byte[] body = filled(bytes);
        body[0] = '"';
        body[bytes - 1] = '"';
        return body;
    }

    private static byte[] filled(int bytes) {
        byte[] body = new byte[bytes];
        Arrays.fill(body, (byte) 'x');
        return body;
    }
}
