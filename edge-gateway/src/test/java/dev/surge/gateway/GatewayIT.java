package dev.surge.gateway;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.surge.testsupport.IntegrationTest;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

@IntegrationTest(database = false, kafka = false)
class GatewayIT {

    /** A real HTTP upstream standing in for the catalog service: echoes the path it was asked for. */
    private static final DisposableServer UPSTREAM = HttpServer.create()
            .host("127.0.0.1")
            .port(0)
            .route(routes -> routes.get("/api/products/{sku}", (request, response) -> response
                    .header("content-type", "application/json")
                    .sendString(Mono.just("{\"sku\":\"" + request.param("sku") + "\",\"path\":\"" + request.path() + "\"}"))))
            .bindNow();

    @Autowired
    WebTestClient http;

    @DynamicPropertySource
    static void upstream(DynamicPropertyRegistry registry) {
        registry.add("surge.services.catalog", () -> "http://127.0.0.1:" + UPSTREAM.port());
    }

    @AfterAll
    static void stopUpstream() {
        UPSTREAM.disposeNow();
    }

    @Test
    void forwardsCatalogPathsUnchanged() {
        http.get().uri("/api/products/SKU-1")
                .exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.sku").isEqualTo("SKU-1")
                .jsonPath("$.path").isEqualTo("api/products/SKU-1");
    }

    @Test
    void isReadyOnlyWithRedisUp() {
        http.get().uri("/actuator/health/readiness")
                .exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.status").isEqualTo("UP")
                .jsonPath("$.components.redis.status").isEqualTo("UP");
    }

    @Test
    void unroutedPathIsAProblemDocument() {
        http.get().uri("/nowhere")
                .exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.status").isEqualTo(404);
    }
}
