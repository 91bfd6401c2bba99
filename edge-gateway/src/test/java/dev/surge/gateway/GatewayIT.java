package dev.surge.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.surge.testsupport.Infrastructure;
import dev.surge.testsupport.IntegrationTest;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/** Routing, and the problem document every error through the gateway becomes, its own or relayed. */
@IntegrationTest(database = false, kafka = false)
class GatewayIT {

    private static final FakeCatalog CATALOG = FakeCatalog.start();

    /** Stands in for notify: accepts every request and never answers. */
    private static final DisposableServer SILENT_NOTIFY = HttpServer.create()
            .host("127.0.0.1")
            .port(0)
            .handle((request, response) -> Mono.never())
            .bindNow();

    @Autowired
    WebTestClient http;

    @DynamicPropertySource
    static void upstreams(DynamicPropertyRegistry registry) {
        registry.add("surge.services.catalog", CATALOG::url);
        // nothing listens on port 1: cart-order is down for this class
        registry.add("surge.services.cart-order", () -> "http://127.0.0.1:1");
        registry.add("surge.services.notify", () -> "http://127.0.0.1:" + SILENT_NOTIFY.port());
        // the gateway waits this long for an answer (10 s in production), here shorter than notify's 3 s time limit
        registry.add("spring.cloud.gateway.server.webflux.httpclient.response-timeout", () -> "500ms");
        registry.add("surge.gateway.client.directory", () -> CLIENT.toString());
    }

    /** A client build as Angular writes it: the page and one hashed bundle. */
    private static final Path CLIENT = clientBuild();

    private static Path clientBuild() {
        try {
            Path directory = Files.createTempDirectory("surge-client");
            Files.writeString(directory.resolve("index.html"), "<!doctype html><title>Surge</title><script src=\"main-5LBWQ3CJ.js\"></script>");
            Files.writeString(directory.resolve("main-5LBWQ3CJ.js"), "console.log('shop')");
            return directory;
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void servesTheClientAndItsPageForEveryClientAddressButNeverOverTheApi() {
        for (String page : List.of("/", "/products/SKU-1", "/cart")) {
            http.get().uri(page).accept(MediaType.TEXT_HTML)
                    .exchange()
                    .expectStatus().isOk()
                    .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_HTML)
                    .expectHeader().cacheControl(CacheControl.noCache())
                    .expectBody(String.class).value(body -> assertThat(body).contains("<title>Surge</title>"));
        }
        http.get().uri("/main-5LBWQ3CJ.js")
                .exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals(HttpHeaders.CACHE_CONTROL, "max-age=31536000, public, immutable")
                .expectBody(String.class).isEqualTo("console.log('shop')");
        // a browser asking for an API path as a page still reaches the API
        http.get().uri("/api/products/SKU-1").accept(MediaType.TEXT_HTML, MediaType.APPLICATION_JSON)
                .exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.sku").isEqualTo("SKU-1");
        // a file the build does not have is not the page
        http.get().uri("/missing-ABCDEFGH.js").exchange().expectStatus().isNotFound();
    }

    @AfterAll
    static void stopUpstreams() {
        CATALOG.close();
        SILENT_NOTIFY.disposeNow();
    }

    @Test
    void forwardsCatalogPathsUnchanged() {
        http.get().uri("/api/products/SKU-1?view=full")
                .exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.sku").isEqualTo("SKU-1")
                .jsonPath("$.uri").isEqualTo("/api/products/SKU-1?view=full");
    }

    @Test
    void isReadyWithRedisUp() {
        http.get().uri("/actuator/health/readiness")
                .exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.status").isEqualTo("UP")
                .jsonPath("$.components.redis.status").isEqualTo("UP");
    }

    @Test
    void unroutedPathIsANotFoundProblem() {
        http.get().uri("/nowhere")
                .exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type").isEqualTo("https://surge.dev/problems/not-found")
                .jsonPath("$.title").isEqualTo("Not Found")
                .jsonPath("$.status").isEqualTo(404)
                .jsonPath("$.instance").isEqualTo("/nowhere");
    }

    @Test
    void wrongMethodIsAMethodNotAllowedProblem() {
        http.delete().uri("/actuator/health")
                .exchange()
                .expectStatus().isEqualTo(405)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader().exists(HttpHeaders.ALLOW)
                .expectBody()
                .jsonPath("$.type").isEqualTo("https://surge.dev/problems/method-not-allowed")
                .jsonPath("$.status").isEqualTo(405);
    }

    @Test
    void relayedPlainTextErrorBecomesAProblem() {
        http.get().uri("/api/products/broken")
                .exchange()
                .expectStatus().isEqualTo(500)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type").isEqualTo("https://surge.dev/problems/internal-error")
                .jsonPath("$.title").isEqualTo("Internal Server Error")
                .jsonPath("$.status").isEqualTo(500)
                .jsonPath("$.detail").isEqualTo("The catalog service answered 500.")
                .jsonPath("$.service").isEqualTo("catalog")
                .jsonPath("$.instance").isEqualTo("/api/products/broken");
    }

    @Test
    void relayedProblemPassesUnchanged() {
        String body = http.get().uri("/api/products/missing")
                .exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody(String.class)
                .returnResult()
                .getResponseBody();
        assertThat(body).isEqualTo(FakeCatalog.PRODUCT_NOT_FOUND);
    }

    @Test
    void unreachableServiceIsAServiceUnavailableProblem() {
        http.get().uri("/api/cart")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + Infrastructure.identityProvider().shopperToken("alice"))
                .exchange()
                .expectStatus().isEqualTo(503)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type").isEqualTo("https://surge.dev/problems/service-unavailable")
                .jsonPath("$.status").isEqualTo(503)
                .jsonPath("$.service").isEqualTo("cart-order")
                .jsonPath("$.detail").isEqualTo("The cart-order service is unavailable; try again in 10 s.");
    }

    @Test
    void serviceTooSlowIsAServiceUnavailableProblem() {
        http.get().uri("/api/ops/dead-letters")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + Infrastructure.identityProvider().opsToken("olga"))
                .exchange()
                .expectStatus().isEqualTo(503)
                .expectHeader().valueEquals(HttpHeaders.RETRY_AFTER, "10")
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type").isEqualTo("https://surge.dev/problems/service-unavailable")
                .jsonPath("$.status").isEqualTo(503)
                .jsonPath("$.service").isEqualTo("notify");
    }
}
