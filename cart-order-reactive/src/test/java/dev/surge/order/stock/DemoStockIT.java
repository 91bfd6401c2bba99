package dev.surge.order.stock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

import dev.surge.events.EventEnvelope;
import dev.surge.events.Money;
import dev.surge.events.catalog.ProductChanged;
import dev.surge.messaging.EventPublisher;
import dev.surge.testsupport.Infrastructure;
import dev.surge.testsupport.IntegrationTest;
import dev.surge.testsupport.TestIsolation;
import reactor.test.StepVerifier;

/** The dev environment's demo stock: a product the read model learns gets a first level, once. */
@IntegrationTest
@TestPropertySource(properties = "surge.stock.demo=true")
class DemoStockIT {

    @Autowired
    EventPublisher events;

    @Autowired
    TestIsolation isolation;

    @Test
    void aNewProductGetsDemoStockOnceAnnouncedThroughTheOutbox() throws SQLException {
        publish("SKU-000042", 1, 1_999);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(scalar("SELECT available || '/' || version FROM stock WHERE sku = 'SKU-000042'"))
                        .isEqualTo(DemoStock.units("SKU-000042") + "/1"));
        // a later change of the product is no first sight: the level stays as it is
        execute("UPDATE stock SET available = 7, version = 2 WHERE sku = 'SKU-000042'");
        publish("SKU-000042", 2, 2_499);
        publish("SKU-000043", 1, 999);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(scalar("SELECT count(*) FROM stock WHERE sku = 'SKU-000043'")).isEqualTo("1"));
        assertThat(scalar("SELECT price_amount FROM product WHERE sku = 'SKU-000042'")).isEqualTo("2499");
        assertThat(scalar("SELECT available FROM stock WHERE sku = 'SKU-000042'")).isEqualTo("7");
        assertThat(scalar("SELECT count(*) FROM outbox_written WHERE event_type = 'StockLevelChanged' AND aggregate_id = 'SKU-000042'"))
                .isEqualTo("1");
    }

    private void publish(String sku, long version, long cents) {
        ProductChanged changed = new ProductChanged(sku, "Demo " + sku, "Acme", "home", new Money(cents, "EUR"), true,
                Instant.parse("2026-11-30T10:15:30Z"));
        StepVerifier.create(events.publish(EventEnvelope.of(sku, version, changed))).verifyComplete();
    }

    private String scalar(String sql) throws SQLException {
        try (Connection connection = Infrastructure.postgres().connect(isolation.database());
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            return rows.next() ? rows.getString(1) : null;
        }
    }

    private void execute(String sql) throws SQLException {
        try (Connection connection = Infrastructure.postgres().connect(isolation.database());
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
