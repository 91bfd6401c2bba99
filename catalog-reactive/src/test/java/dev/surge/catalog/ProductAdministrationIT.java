package dev.surge.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;

import dev.surge.events.EventCodec;
import dev.surge.events.EventEnvelope;
import dev.surge.events.Topics;
import dev.surge.events.catalog.ProductChanged;
import dev.surge.events.catalog.ProductDeactivated;
import dev.surge.testsupport.IdentityProvider;
import dev.surge.testsupport.Infrastructure;
import dev.surge.testsupport.IntegrationTest;

@IntegrationTest
class ProductAdministrationIT extends CatalogFixtures {

    private static final String NEW_PRODUCT = """
            {"sku": "%s", "name": "Nespresso Vertuo Next Coffee Machine", "description": "Capsule coffee at a touch.",
             "brand": "Nespresso", "categoryId": "home-coffee", "price": {"amount": 12999, "currency": "EUR"},
             "attributes": {"colour": "Black"}}""";

    private final EventCodec codec = new EventCodec();
    private KafkaConsumer<String, byte[]> catalogEvents;
    private String ops;
    private String shopper;

    @BeforeAll
    void tokensAndCatalogEventReader() {
        IdentityProvider identity = Infrastructure.identityProvider();
        ops = identity.opsToken("olga");
        shopper = identity.shopperToken("alice");
        catalogEvents = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, Infrastructure.kafka().bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "assert-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class));
        catalogEvents.subscribe(List.of(isolation.topic(Topics.CATALOG)));
    }

    @AfterAll
    void closeConsumer() {
        catalogEvents.close();
    }

    @Test
    void opsCreateReplaceAndDeactivateAProductAndEachChangeIsAnnounced() {
        String sku = "NEW-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        http.post().uri("/api/admin/products")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + ops)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(NEW_PRODUCT.formatted(sku))
                .exchange()
                .expectStatus().isCreated()
                .expectHeader().location("/api/products/" + sku)
                .expectBody().jsonPath("$.price.amount").isEqualTo(12999);
        http.get().uri("/api/products/" + sku).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.categoryPath[1]").isEqualTo("Coffee Machines");
        // read again: a Redis hit, which this instance now holds a copy of
        http.get().uri("/api/products/" + sku).exchange().expectBody().jsonPath("$.price.amount").isEqualTo(12999);

        // the answer to the change is the product as changed, not the copy read before it
        http.put().uri("/api/admin/products/" + sku)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + ops)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(NEW_PRODUCT.formatted(sku).replace("12999", "9999"))
                .exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.price.amount").isEqualTo(9999);
        http.get().uri("/api/products/" + sku).exchange().expectBody().jsonPath("$.price.amount").isEqualTo(9999);

        http.delete().uri("/api/admin/products/" + sku)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + ops)
                .exchange()
                .expectStatus().isNoContent();
        http.get().uri("/api/products/" + sku).exchange().expectStatus().isNotFound();
        http.delete().uri("/api/admin/products/" + sku)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + ops)
                .exchange()
                .expectStatus().isNoContent();

        List<EventEnvelope<?>> announced = eventsFor(sku, 3);
        assertThat(announced).extracting(EventEnvelope::aggregateVersion).containsExactly(1L, 2L, 3L);
        assertThat(announced.get(0).payload()).isInstanceOfSatisfying(ProductChanged.class, changed -> {
            assertThat(changed.price().amount()).isEqualTo(12999);
            assertThat(changed.categoryId()).isEqualTo("home-coffee");
            assertThat(changed.active()).isTrue();
        });
        assertThat(announced.get(1).payload()).isInstanceOfSatisfying(ProductChanged.class,
                changed -> assertThat(changed.price().amount()).isEqualTo(9999));
        assertThat(announced.get(2).payload()).isEqualTo(new ProductDeactivated(sku));
    }

    @Test
    void aRepricedProductLeavesNoStaleCachedListBehind() {
        String page = "/api/products?category=home&sort=price";
        http.get().uri(page).exchange().expectBody().jsonPath("$.items[0].sku").isEqualTo("P-DELONGHI");
        http.put().uri("/api/admin/products/P-DELONGHI")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + ops)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("""
                        {"name": "De'Longhi Magnifica S Bean-to-Cup Coffee Machine", "brand": "De'Longhi",
                         "categoryId": "home-coffee", "price": {"amount": 29900, "currency": "EUR"}}""")
                .exchange()
                .expectStatus().isOk();
        http.get().uri(page).exchange().expectBody().jsonPath("$.items[0].price.amount").isEqualTo(29900);
    }

    @Test
    void badInputIsRefusedFieldByFieldAndNothingIsWritten() throws SQLException {
        long outboxBefore = count("outbox_written");
        http.post().uri("/api/admin/products")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + ops)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("""
                        {"sku": "bad sku!", "name": "", "categoryId": "home-coffee",
                         "price": {"amount": -1, "currency": "euro"}}""")
                .exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type").isEqualTo("https://surge.dev/problems/invalid-request")
                .jsonPath("$.errors[*].field").isEqualTo(List.of("sku", "name", "price.amount", "price.currency"));
        http.post().uri("/api/admin/products")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + ops)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(NEW_PRODUCT.formatted("GHOST-1").replace("home-coffee", "no-such-category"))
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("categoryId");
        http.post().uri("/api/admin/products")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + ops)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(NEW_PRODUCT.formatted("P-SONY"))
                .exchange()
                .expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.type").isEqualTo("https://surge.dev/problems/product-exists");
        http.put().uri("/api/admin/products/P-NOPE")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + ops)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(NEW_PRODUCT.formatted("P-NOPE"))
                .exchange()
                .expectStatus().isNotFound();
        assertThat(count("outbox_written")).isEqualTo(outboxBefore);
        http.get().uri("/api/products/GHOST-1").exchange().expectStatus().isNotFound();
    }

    @Test
    void onlyTheOpsRoleMayAdminister() {
        http.post().uri("/api/admin/products")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(NEW_PRODUCT.formatted("ANON-1"))
                .exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.type").isEqualTo("https://surge.dev/problems/unauthorized");
        http.post().uri("/api/admin/products")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + shopper)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(NEW_PRODUCT.formatted("ALICE-1"))
                .exchange()
                .expectStatus().isForbidden()
                .expectBody().jsonPath("$.type").isEqualTo("https://surge.dev/problems/forbidden");
        http.delete().uri("/api/admin/products/P-SONY")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + ops.substring(0, ops.length() - 4) + "AAAA")
                .exchange()
                .expectStatus().isUnauthorized();
        http.get().uri("/api/products/P-SONY").exchange().expectStatus().isOk();
        http.get().uri("/api/products/ALICE-1").exchange().expectStatus().isNotFound();
    }

    @Test
    void writesOutsideTheAdminPathsFindNothingToWriteTo() {
        http.post().uri("/api/products")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + ops)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(NEW_PRODUCT.formatted("SIDE-1"))
                .exchange()
                .expectStatus().isEqualTo(405)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        // a write without a token is refused before the method is looked at (see ShopperWritesSecurityIT)
        http.delete().uri("/api/products/P-SONY").exchange().expectStatus().isUnauthorized();
        http.delete().uri("/api/products/P-SONY").header(HttpHeaders.AUTHORIZATION, "Bearer " + ops)
                .exchange().expectStatus().isEqualTo(405);
        http.get().uri("/api/products/P-SONY").exchange().expectStatus().isOk();
    }

    @Test
    void aTokenForAnotherAudienceIsRefused() {
        String foreign = Infrastructure.identityProvider().token("olga", Map.of("roles", List.of("ops"), "aud", "elsewhere"));
        http.delete().uri("/api/admin/products/P-SONY")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + foreign)
                .exchange()
                .expectStatus().isUnauthorized();
        http.get().uri("/api/products/P-SONY").exchange().expectStatus().isOk();
    }

    private List<EventEnvelope<?>> eventsFor(String sku, int expected) {
        List<EventEnvelope<?>> found = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            for (ConsumerRecord<String, byte[]> record : catalogEvents.poll(Duration.ofMillis(200))) {
                if (record.key().equals(sku)) {
                    found.add(codec.decode(header(record, EventCodec.TYPE_HEADER),
                            Integer.parseInt(header(record, EventCodec.VERSION_HEADER)), record.value()));
                }
            }
            return found.size() >= expected;
        });
        return found;
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private long count(String table) throws SQLException {
        try (Connection connection = Infrastructure.postgres().connect(isolation.database());
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT count(*) FROM " + table)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
