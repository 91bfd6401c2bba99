package dev.surge.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatusCode;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;

import dev.surge.catalog.cache.CatalogCache;
import dev.surge.events.EventEnvelope;
import dev.surge.events.order.StockLevelChanged;
import dev.surge.messaging.EventPublisher;
import dev.surge.testsupport.Infrastructure;
import dev.surge.testsupport.IntegrationTest;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

// Redis gets a realistic timeout here: 250 ms is meant for production, and 200 concurrent
// requests on 2 shared cores during a full build can exceed it, which makes the count of loads
// depend on the machine's load rather than on single flight.
@IntegrationTest
@TestPropertySource(properties = "surge.catalog.cache.redis-timeout=2s")
class CatalogCacheIT extends CatalogFixtures {

    @Autowired
    MeterRegistry meters;

    @Autowired
    EventPublisher events;

    @Autowired
    CatalogCache cache;

    @LocalServerPort
    int port;

    @Test
    void detailsComeFromTheCacheUntilTheStockDisplayChanges() {
        double before = loads();
        details("P-DELONGHI").jsonPath("$.availability.status").isEqualTo("IN_STOCK");
        details("P-DELONGHI").jsonPath("$.availability.status").isEqualTo("IN_STOCK");
        assertThat(loads() - before).as("second read is a hit").isEqualTo(1);

        publish(new StockLevelChanged("P-DELONGHI", 0, 5, "sold out"), 1);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                details("P-DELONGHI").jsonPath("$.availability.status").isEqualTo("OUT_OF_STOCK"));
        assertThat(loads() - before).as("the change evicted the entry once").isEqualTo(2);
    }

    @Test
    void theInstanceServesItsOwnCopyUntilAnEvictionHere() {
        details("P-BOSE");
        // a read right after a Redis hit comes from this instance's memory (tried again should a slow
        // machine let more than the copy's 1 s pass between two reads)
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            double copies = meters.counter("catalog.cache.local.hits").count();
            details("P-BOSE");
            return meters.counter("catalog.cache.local.hits").count() - copies == 1;
        });

        double before = loads();
        StepVerifier.create(cache.evictProduct("P-BOSE", List.of())).verifyComplete();
        details("P-BOSE");
        assertThat(loads() - before).as("right after the eviction the read loads again, no copy answers")
                .isEqualTo(1);
    }

    @Test
    void aListPageShowingTheProductIsEvictedWithIt() {
        String page = "/api/products?category=electronics-headphones";
        http.get().uri(page).exchange().expectBody().jsonPath("$.items[?(@.sku == 'P-JBL')].availability.status")
                .isEqualTo(List.of("IN_STOCK"));
        double before = loads();
        http.get().uri(page).exchange().expectStatus().isOk();
        assertThat(loads()).as("served from the cache").isEqualTo(before);

        publish(new StockLevelChanged("P-JBL", 2, 5, "sale"), 1);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> http.get().uri(page).exchange().expectBody()
                .jsonPath("$.items[?(@.sku == 'P-JBL')].availability.status").isEqualTo(List.of("LOW_STOCK")));
    }

    @Test
    void anOlderStockEventDoesNotOverwriteANewerOne() throws SQLException {
        publish(new StockLevelChanged("P-PIX8", 4, 5, "newest"), 8);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                details("P-PIX8").jsonPath("$.availability.count").isEqualTo(4));

        // the older event arrives last: only the version check keeps it from winning
        EventEnvelope<StockLevelChanged> stale = publish(new StockLevelChanged("P-PIX8", 0, 5, "late and stale"), 6);
        await().atMost(Duration.ofSeconds(30)).until(() -> handled(stale.eventId()));

        assertThat(available("P-PIX8")).isEqualTo(4);
        details("P-PIX8").jsonPath("$.availability.status").isEqualTo("LOW_STOCK")
                .jsonPath("$.availability.count").isEqualTo(4);
    }

    @Test
    void aBurstOfLevelsForOneSkuEndsAtItsNewest() throws SQLException {
        // a hot sku: one level per order, sent faster than one at a time would be applied; the fixture has 3 of it
        List<EventEnvelope<StockLevelChanged>> burst = IntStream.rangeClosed(1, 40)
                .mapToObj(version -> EventEnvelope.of("P-IPH13", 100 + version, new StockLevelChanged("P-IPH13", 44 - version, 5, "order")))
                .toList();
        StepVerifier.create(Flux.fromIterable(burst).concatMap(events::publish)).verifyComplete();
        // the newest is always applied, whatever the batches it came in
        await().atMost(Duration.ofSeconds(30)).until(() -> handled(burst.getLast().eventId()));
        assertThat(available("P-IPH13")).isEqualTo(4);
        // the eviction follows the commit
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                details("P-IPH13").jsonPath("$.availability.status").isEqualTo("LOW_STOCK")
                        .jsonPath("$.availability.count").isEqualTo(4));
    }

    @Test
    void aStockLevelHeardBeforeItsProductExistsShowsOnceTheProductIsCreated() throws SQLException {
        EventEnvelope<StockLevelChanged> early = publish(new StockLevelChanged("P-LATER", 2, 5, "stocked before listing"), 3);
        await().atMost(Duration.ofSeconds(30)).until(() -> handled(early.eventId()));
        http.get().uri("/api/products/P-LATER").exchange().expectStatus().isNotFound();

        Infrastructure.postgres().execute(isolation.database(), """
                INSERT INTO product (sku, name, category_id, price_amount, price_currency)
                VALUES ('P-LATER', 'Nokia 3310 Reissue', 'electronics-phones', 4900, 'EUR')""");

        details("P-LATER").jsonPath("$.availability.status").isEqualTo("LOW_STOCK")
                .jsonPath("$.availability.count").isEqualTo(2);
        // the kept version counts: an older level is still older once the product exists
        EventEnvelope<StockLevelChanged> older = publish(new StockLevelChanged("P-LATER", 0, 5, "older than kept"), 2);
        await().atMost(Duration.ofSeconds(30)).until(() -> handled(older.eventId()));
        assertThat(available("P-LATER")).isEqualTo(2);
        publish(new StockLevelChanged("P-LATER", 9, 5, "restock"), 4);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                details("P-LATER").jsonPath("$.availability.status").isEqualTo("IN_STOCK"));
    }

    @Test
    void manyConcurrentMissesOfOneKeyCauseOneLoad() {
        double before = loads();
        WebClient client = WebClient.create("http://127.0.0.1:" + port);
        StepVerifier.create(Flux.range(0, 200)
                        .flatMap(i -> client.get().uri("/api/products/P-SONY").exchangeToMono(response ->
                                response.releaseBody().thenReturn(response.statusCode())), 200)
                        .filter(HttpStatusCode::is2xxSuccessful)
                        .count()
                        .timeout(Duration.ofSeconds(30))
                        .doOnError(stuck -> printThreads()))
                .expectNext(200L)
                .verifyComplete();
        assertThat(loads() - before).isEqualTo(1);
    }

    @Test
    void searchResultsAreCachedToo() {
        http.get().uri("/api/products/search?q=coffee").exchange().expectStatus().isOk();
        double before = loads();
        http.get().uri("/api/products/search?q=Coffee").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.items[0].sku").isEqualTo("P-DELONGHI");
        assertThat(loads()).isEqualTo(before);
    }

    /** Where every thread is, when a burst does not finish: the test fails, and says why. */
    private static void printThreads() {
        Thread.getAllStackTraces().forEach((thread, stack) -> {
            System.out.println("THREAD " + thread.getName() + " " + thread.getState());
            for (StackTraceElement frame : stack) {
                System.out.println("    at " + frame);
            }
        });
    }

    private WebTestClient.BodyContentSpec details(String sku) {
        return http.get().uri("/api/products/" + sku).exchange().expectStatus().isOk().expectBody();
    }

    private EventEnvelope<StockLevelChanged> publish(StockLevelChanged change, long version) {
        EventEnvelope<StockLevelChanged> event = EventEnvelope.of(change.sku(), version, change);
        StepVerifier.create(events.publish(event)).verifyComplete();
        return event;
    }

    /** Whether the availability consumer has committed its handling of the event (its inbox row). */
    private boolean handled(UUID eventId) throws SQLException {
        try (Connection connection = Infrastructure.postgres().connect(isolation.database());
                PreparedStatement query = connection.prepareStatement("SELECT 1 FROM inbox WHERE event_id = ?")) {
            query.setObject(1, eventId);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next();
            }
        }
    }

    private Integer available(String sku) throws SQLException {
        try (Connection connection = Infrastructure.postgres().connect(isolation.database());
                PreparedStatement query = connection.prepareStatement("SELECT available FROM product WHERE sku = ?")) {
            query.setString(1, sku);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getObject(1, Integer.class);
            }
        }
    }

    private double loads() {
        return meters.counter("catalog.cache.loads").count();
    }
}
