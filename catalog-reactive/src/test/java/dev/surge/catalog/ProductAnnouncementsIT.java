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
        assertThat(scalar("SELECT count(*) FROM outbox WHERE event_type = 'ProductChanged'")).isEqualTo(products);
        assertThat(scalar("""
                SELECT count(*) FROM outbox o JOIN product p ON p.sku = o.aggregate_id
                WHERE (o.envelope ->> 'aggregateVersion')::bigint = p.version
                  AND (o.envelope -> 'payload' ->> 'active')::boolean = p.active
                  AND (o.envelope -> 'payload' -> 'price' ->> 'amount')::bigint = p.price_amount""")).isEqualTo(products);
        assertThat(scalar("SELECT count(*) FROM product WHERE announced_version IS DISTINCT FROM version")).isZero();
        // images travel too: the first by position
        assertThat(scalar("""
                SELECT count(*) FROM outbox o
                WHERE o.envelope -> 'payload' ->> 'imageUrl' = (SELECT i.url FROM product_image i
                                                                WHERE i.sku = o.aggregate_id ORDER BY position LIMIT 1)""")
        ).isEqualTo(scalar("SELECT count(DISTINCT sku) FROM product_image"));

        republish(ops, products);
        assertThat(scalar("SELECT count(*) FROM outbox WHERE event_type = 'ProductChanged'")).isEqualTo(2 * products);
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
