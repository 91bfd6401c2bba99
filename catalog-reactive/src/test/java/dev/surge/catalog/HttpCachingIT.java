package dev.surge.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;

import dev.surge.events.EventEnvelope;
import dev.surge.events.order.StockLevelChanged;
import dev.surge.messaging.EventPublisher;
import dev.surge.testsupport.Infrastructure;
import dev.surge.testsupport.IntegrationTest;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.test.StepVerifier;

/**
 * ETag, Cache-Control and 304 on the public reads, against real Redis and PostgreSQL. Each test
 * uses products of its own: the class shares one database and one Redis prefix.
 */
@IntegrationTest
class HttpCachingIT extends CatalogFixtures {

    private static final String CACHE_CONTROL = "max-age=10, public, stale-if-error=300";

    @Autowired
    MeterRegistry meters;

    @Autowired
    EventPublisher events;

    @Test
    void theSameBytesKeepTheirTagAndTheStockShownChangesIt() {
        EntityExchangeResult<byte[]> miss = get("/api/products/P-IPH15");
        EntityExchangeResult<byte[]> hit = get("/api/products/P-IPH15");
        assertThat(loadsOf(() -> get("/api/products/P-IPH15"))).as("a hit").isZero();
        String tag = etag(miss);
        assertThat(tag).matches("\"[A-Za-z0-9_-]{22}\"");
        assertThat(etag(hit)).isEqualTo(tag);
        assertThat(hit.getResponseBody()).isEqualTo(miss.getResponseBody());
        assertThat(miss.getResponseHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_JSON);
        assertThat(miss.getResponseHeaders().getCacheControl()).isEqualTo(CACHE_CONTROL);

        publish(new StockLevelChanged("P-IPH15", 2, 5, "nearly sold out"), 1);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(etag(get("/api/products/P-IPH15"))).isNotEqualTo(tag));
        http.get().uri("/api/products/P-IPH15").exchange().expectBody()
                .jsonPath("$.availability.status").isEqualTo("LOW_STOCK");
        // the old tag no longer matches: the shopper gets the new availability, not a 304
        http.get().uri("/api/products/P-IPH15").header(HttpHeaders.IF_NONE_MATCH, tag).exchange()
                .expectStatus().isOk();
    }

    @Test
    void aChangedProductHasANewTagOnItsDetailsAndItsListing() {
        String details = etag(get("/api/products/P-IPH13"));
        String listing = etag(get("/api/products?category=electronics-phones&size=12"));
        String ops = Infrastructure.identityProvider().opsToken("olga");

        http.put().uri("/api/admin/products/P-IPH13")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + ops)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("""
                        {"name": "Apple iPhone 13 128 GB Midnight", "brand": "Apple",
                         "description": "The dependable iPhone with dual camera.",
                         "categoryId": "electronics-phones", "price": {"amount": 49900, "currency": "EUR"},
                         "attributes": {"colour": "Midnight"}}""")
                .exchange()
                .expectStatus().isOk();

        assertThat(etag(get("/api/products/P-IPH13"))).isNotEqualTo(details);
        assertThat(etag(get("/api/products?category=electronics-phones&size=12"))).isNotEqualTo(listing);
    }

    @Test
    void aMatchingTagIsA304FromRedisWithoutPostgres() {
        String tag = etag(get("/api/products/P-BOSE"));
        // changed underneath, without an event: a read that reached PostgreSQL would show it
        Infrastructure.postgres().execute(isolation.database(),
                "UPDATE product SET name = 'Renamed behind the cache' WHERE sku = 'P-BOSE'");

        double loads = loads();
        EntityExchangeResult<byte[]> notModified = http.get().uri("/api/products/P-BOSE")
                .header(HttpHeaders.IF_NONE_MATCH, tag)
                .exchange()
                .expectStatus().isNotModified()
                .expectBody().returnResult();
        assertThat(notModified.getResponseBody()).isNull();
        assertThat(etag(notModified)).isEqualTo(tag);
        assertThat(notModified.getResponseHeaders().getCacheControl()).isEqualTo(CACHE_CONTROL);
        assertThat(loads()).as("nothing loaded from PostgreSQL").isEqualTo(loads);
        http.get().uri("/api/products/P-BOSE").exchange().expectBody()
                .jsonPath("$.name").isEqualTo("Bose QuietComfort Earbuds");
    }

    @Test
    void ifNoneMatchComparesWeaklyTakesAListAndAStar() {
        String tag = etag(get("/api/products/P-SONY"));
        assertThat(status("/api/products/P-SONY", "W/" + tag)).isEqualTo(HttpStatus.NOT_MODIFIED);
        assertThat(status("/api/products/P-SONY", "\"someone-elses\", " + tag)).isEqualTo(HttpStatus.NOT_MODIFIED);
        assertThat(status("/api/products/P-SONY", "W/\"someone-elses\", W/" + tag)).isEqualTo(HttpStatus.NOT_MODIFIED);
        assertThat(status("/api/products/P-SONY", "*")).isEqualTo(HttpStatus.NOT_MODIFIED);
        assertThat(status("/api/products/P-NONE", "*")).as("no representation, nothing to match").isEqualTo(HttpStatus.NOT_FOUND);
        assertThat(status("/api/products/P-SONY", "\"someone-elses\"")).isEqualTo(HttpStatus.OK);
        assertThat(status("/api/products/P-SONY", tag.replace("\"", ""))).as("an unquoted tag is none")
                .isEqualTo(HttpStatus.OK);
    }

    @Test
    void everyPublicReadCarriesATagAndA304() {
        for (String read : new String[] { "/api/products", "/api/products?category=home&sort=price",
                "/api/products/search?q=headphones", "/api/categories",
                // not cached (a deep page, an uncommon size): tagged all the same
                "/api/products?page=9", "/api/products?size=7", "/api/products/search?q=phone&size=3" }) {
            EntityExchangeResult<byte[]> first = get(read);
            assertThat(first.getResponseHeaders().getCacheControl()).as(read).isEqualTo(CACHE_CONTROL);
            assertThat(etag(get(read))).as(read).isEqualTo(etag(first));
            assertThat(status(read, etag(first))).as(read).isEqualTo(HttpStatus.NOT_MODIFIED);
        }
    }

    @Test
    void problemsCarryNoTag() {
        http.get().uri("/api/products/P-NONE").exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader().doesNotExist(HttpHeaders.ETAG);
        http.get().uri("/api/products?size=500").exchange()
                .expectStatus().isBadRequest()
                .expectHeader().doesNotExist(HttpHeaders.ETAG);
    }

    private EntityExchangeResult<byte[]> get(String uri) {
        return http.get().uri(uri).exchange().expectStatus().isOk().expectBody().returnResult();
    }

    private HttpStatus status(String uri, String ifNoneMatch) {
        return HttpStatus.valueOf(http.get().uri(uri).header(HttpHeaders.IF_NONE_MATCH, ifNoneMatch).exchange()
                .expectBody().returnResult().getStatus().value());
    }

    private static String etag(EntityExchangeResult<?> result) {
        return result.getResponseHeaders().getETag();
    }

    private double loadsOf(Runnable reads) {
        double before = loads();
        reads.run();
        return loads() - before;
    }

    private double loads() {
        return meters.counter("catalog.cache.loads").count();
    }

    private void publish(StockLevelChanged change, long version) {
        StepVerifier.create(events.publish(EventEnvelope.of(change.sku(), version, change))).verifyComplete();
    }
}
