package dev.surge.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.surge.events.EventEnvelope;
import dev.surge.events.Money;
import dev.surge.events.catalog.ProductChanged;
import dev.surge.messaging.EventPublisher;
import dev.surge.testsupport.IdentityProvider;
import dev.surge.testsupport.Infrastructure;
import dev.surge.testsupport.TestIsolation;
import reactor.test.StepVerifier;

/** Base of the cart and order tests: products through catalog events, stock through the ops API, SQL checks. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ShopFixtures {

    @Autowired
    WebTestClient http;

    @Autowired
    EventPublisher events;

    @Autowired
    TestIsolation isolation;

    final IdentityProvider identity = Infrastructure.identityProvider();

    /** A product on sale at {@code cents} with {@code units} in stock, known to cart-order's read model. */
    void product(String sku, long cents, int units) {
        product(sku, 1, cents, true);
        http.put().uri("/api/admin/inventory/{sku}", sku)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + identity.opsToken("olga"))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"available\": " + units + ", \"lowStockThreshold\": 3}")
                .exchange()
                .expectStatus().isOk();
    }

    /** The catalog announces a version of a product; waits until the read model holds it. */
    void product(String sku, long version, long cents, boolean active) {
        ProductChanged changed = new ProductChanged(sku, "Product " + sku, "Acme", "home", new Money(cents, "EUR"), active,
                Instant.parse("2026-11-30T10:15:30Z"), "/images/products/" + sku + "-1.svg", 500);
        StepVerifier.create(events.publish(EventEnvelope.of(sku, version, changed))).verifyComplete();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(scalar("SELECT catalog_version FROM product WHERE sku = '" + sku + "'"))
                        .isEqualTo(String.valueOf(version)));
    }

    /** A new address in Germany, as checkout takes it. */
    static final String SHIP_TO = """
            {"recipientName": "Ada Example", "line1": "Hauptstr. 1", "city": "Berlin", "postalCode": "10115", "countryCode": "DE"}""";

    /** A "buy now" checkout body: these units of one sku, to {@link #SHIP_TO}, confirming {@code expected}. */
    static String buyNow(String sku, int quantity, long expected) {
        return checkout(SHIP_TO, expected, "[{\"sku\": \"" + sku + "\", \"quantity\": " + quantity + "}]");
    }

    /** A checkout body; {@code lines} null orders the cart. */
    static String checkout(String address, long expected, String lines) {
        return "{\"address\": " + address + ", \"paymentMethod\": \"tok_visa\", \"expectedTotal\": {\"amount\": " + expected
                + ", \"currency\": \"EUR\"}" + (lines == null ? "" : ", \"lines\": " + lines) + "}";
    }

    String scalar(String sql) throws SQLException {
        try (Connection connection = Infrastructure.postgres().connect(isolation.database());
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            return rows.next() ? rows.getString(1) : null;
        }
    }

    void execute(String sql) throws SQLException {
        try (Connection connection = Infrastructure.postgres().connect(isolation.database());
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    long count(String sql) throws SQLException {
        return Long.parseLong(scalar(sql));
    }

    WebTestClient.RequestBodySpec post(String path, String token) {
        return http.post().uri(path)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .contentType(MediaType.APPLICATION_JSON);
    }
}
