package dev.surge.gateway.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.surge.testsupport.IntegrationTest;
import io.netty.handler.codec.http.HttpResponseStatus;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * HTTP caching through the gateway: catalog's {@code ETag} and {@code Cache-Control} reach the
 * client, its {@code If-None-Match} reaches catalog, catalog's {@code 304} comes back as it is, and
 * a 304 is never kept as the last good answer: while catalog fails, the stale copy is the last 200.
 * The upstream is a real HTTP server that answers like catalog (a tag of its body, 304 on a match).
 */
@IntegrationTest(database = false, kafka = false)
class ConditionalReadsIT {

    private static final String TAG = "\"Zm9yIHRoZSBnYXRld2F5\"";
    private static final String CACHE_CONTROL = "max-age=10, public, stale-if-error=300";
    private static final AtomicInteger NOT_MODIFIED = new AtomicInteger();
    private static volatile boolean failing;

    private static final DisposableServer CATALOG = HttpServer.create()
            .host("127.0.0.1")
            .port(0)
            .route(routes -> routes.get("/api/products/{sku}", (request, response) -> {
                if (failing) {
                    return response.status(HttpResponseStatus.SERVICE_UNAVAILABLE).send();
                }
                response.header(HttpHeaders.ETAG, TAG).header(HttpHeaders.CACHE_CONTROL, CACHE_CONTROL);
                if (TAG.equals(request.requestHeaders().get(HttpHeaders.IF_NONE_MATCH))) {
                    NOT_MODIFIED.incrementAndGet();
                    return response.status(HttpResponseStatus.NOT_MODIFIED).send();
                }
                return response.header(HttpHeaders.CONTENT_TYPE, "application/json")
                        .sendString(Mono.just("{\"sku\":\"" + request.param("sku") + "\"}"));
            }))
            .bindNow();

    @Autowired
    WebTestClient http;

    @DynamicPropertySource
    static void upstream(DynamicPropertyRegistry registry) {
        registry.add("surge.services.catalog", () -> "http://127.0.0.1:" + CATALOG.port());
    }

    @AfterAll
    static void stopUpstream() {
        CATALOG.disposeNow();
    }

    @Test
    void tagsCacheHeadersAnd304PassThroughAndA304IsNeverTheStaleCopy() {
        EntityExchangeResult<byte[]> fresh = http.get().uri("/api/products/SKU-304").exchange()
                .expectStatus().isOk()
                .expectBody().returnResult();
        assertThat(fresh.getResponseHeaders().getETag()).isEqualTo(TAG);
        assertThat(fresh.getResponseHeaders().getCacheControl()).isEqualTo(CACHE_CONTROL);

        int before = NOT_MODIFIED.get();
        EntityExchangeResult<byte[]> notModified = http.get().uri("/api/products/SKU-304")
                .header(HttpHeaders.IF_NONE_MATCH, TAG)
                .exchange()
                .expectStatus().isNotModified()
                .expectHeader().doesNotExist(StaleAnswers.STALE_HEADER)
                .expectBody().returnResult();
        assertThat(NOT_MODIFIED.get() - before).as("catalog answered the 304").isEqualTo(1);
        assertThat(notModified.getResponseBody()).isNull();
        assertThat(notModified.getResponseHeaders().getETag()).isEqualTo(TAG);
        assertThat(notModified.getResponseHeaders().getCacheControl()).isEqualTo(CACHE_CONTROL);

        failing = true;
        try {
            // a client that holds the tag still gets a whole answer: the kept 200, marked stale
            http.get().uri("/api/products/SKU-304")
                    .header(HttpHeaders.IF_NONE_MATCH, TAG)
                    .exchange()
                    .expectStatus().isOk()
                    .expectHeader().valueEquals(StaleAnswers.STALE_HEADER, "true")
                    .expectHeader().doesNotExist(HttpHeaders.ETAG)
                    .expectBody()
                    .jsonPath("$.sku").isEqualTo("SKU-304")
                    .jsonPath("$.stale").isEqualTo(true);
        }
        finally {
            failing = false;
        }
    }
}
