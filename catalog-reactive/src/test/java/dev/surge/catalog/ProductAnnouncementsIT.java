package dev.surge.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;

import dev.surge.testsupport.Infrastructure;
import dev.surge.testsupport.IntegrationTest;

/** Products loaded by SQL are announced through the outbox; ops can have every product announced again. */
@IntegrationTest
class ProductAnnouncementsIT extends CatalogFixtures {

    @Test
    void everyProductIsAnnouncedOnceAtItsVersionAndAgainOnlyWhenOpsAsk() throws SQLException {
        long products = scalar("SELECT count(*) FROM product");
        assertThat(products).isPositive();
        String ops = Infrastructure.identityProvider().opsToken("olga");

        republish(ops, products);
        assertThat(scalar("SELECT count(*) FROM outbox_written WHERE event_type = 'ProductChanged'")).isEqualTo(products);
        assertThat(scalar("""
                SELECT count(*) FROM outbox_written o JOIN product p ON p.sku = o.aggregate_id
                WHERE (o.envelope ->> 'aggregateVersion')::bigint = p.version
                  AND (o.envelope -> 'payload' ->> 'active')::boolean = p.active
                  AND (o.envelope -> 'payload' -> 'price' ->> 'amount')::bigint = p.price_amount""")).isEqualTo(products);
        assertThat(scalar("SELECT count(*) FROM product WHERE announced_version IS DISTINCT FROM version")).isZero();
        // images travel too: the first by position
        assertThat(scalar("""
                SELECT count(*) FROM outbox_written o
                WHERE o.envelope -> 'payload' ->> 'imageUrl' = (SELECT i.url FROM product_image i
                                                                WHERE i.sku = o.aggregate_id ORDER BY position LIMIT 1)""")
        ).isEqualTo(scalar("SELECT count(DISTINCT sku) FROM product_image"));

        republish(ops, products);
        assertThat(scalar("SELECT count(*) FROM outbox_written WHERE event_type = 'ProductChanged'")).isEqualTo(2 * products);
    }

    @Test
    void aBulkLoadIsAnnouncedInChunksEveryProductOnce() throws SQLException {
        // more than one chunk (500), each chunk read whole before its appends
        Infrastructure.postgres().execute(isolation.database(), """
                INSERT INTO product (sku, name, brand, category_id, price_amount, price_currency)
                SELECT 'BULK-' || lpad(n::text, 5, '0'), 'Bulk product ' || n, 'Acme', 'home-coffee', 100 + n, 'EUR'
                FROM generate_series(1, 1200) AS n""");
        http.post().uri("/api/admin/products/announcements")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + Infrastructure.identityProvider().opsToken("olga"))
                .exchange()
                .expectStatus().isOk();
        assertThat(scalar("SELECT count(DISTINCT aggregate_id) FROM outbox_written WHERE aggregate_id LIKE 'BULK-%'")).isEqualTo(1_200);
        assertThat(scalar("SELECT count(*) FROM outbox_written WHERE aggregate_id = 'BULK-00600'")).isGreaterThanOrEqualTo(1);
        assertThat(scalar("SELECT count(*) FROM product WHERE announced_version IS DISTINCT FROM version")).isZero();
    }

    @Test
    void onlyOpsMayAskForIt() {
        http.post().uri("/api/admin/products/announcements")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + Infrastructure.identityProvider().shopperToken("alice"))
                .exchange()
                .expectStatus().isForbidden();
        http.post().uri("/api/admin/products/announcements").exchange().expectStatus().isUnauthorized();
    }

    private void republish(String ops, long expected) {
        http.post().uri("/api/admin/products/announcements")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + ops)
                .exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.announced").isEqualTo((int) expected);
    }

    private long scalar(String sql) throws SQLException {
        try (Connection connection = Infrastructure.postgres().connect(isolation.database());
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
