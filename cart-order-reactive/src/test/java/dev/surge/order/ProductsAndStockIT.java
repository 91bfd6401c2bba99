package dev.surge.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
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
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.surge.events.EventCodec;
import dev.surge.events.EventEnvelope;
import dev.surge.events.Money;
import dev.surge.events.Topics;
import dev.surge.events.catalog.ProductChanged;
import dev.surge.events.catalog.ProductDeactivated;
import dev.surge.events.order.StockLevelChanged;
import dev.surge.messaging.EventPublisher;
import dev.surge.testsupport.IdentityProvider;
import dev.surge.testsupport.Infrastructure;
import dev.surge.testsupport.IntegrationTest;
import dev.surge.testsupport.TestIsolation;
import reactor.test.StepVerifier;

/** The product read model fed by catalog events, and ops setting the authoritative stock. */
@IntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProductsAndStockIT {

    private static final Instant CHANGED_AT = Instant.parse("2026-11-30T10:15:30Z");

    @Autowired
    WebTestClient http;

    @Autowired
    EventPublisher events;

    @Autowired
    TestIsolation isolation;

    private final EventCodec codec = new EventCodec();
    private KafkaConsumer<String, byte[]> inventoryEvents;
    private String ops;
    private String shopper;

    @BeforeAll
    void tokensAndInventoryEventReader() {
        IdentityProvider identity = Infrastructure.identityProvider();
        ops = identity.opsToken("olga");
        shopper = identity.shopperToken("alice");
        inventoryEvents = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, Infrastructure.kafka().bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "assert-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class));
        inventoryEvents.subscribe(List.of(isolation.topic(Topics.INVENTORY)));
    }

    @AfterAll
    void closeConsumer() {
        inventoryEvents.close();
    }

    @Test
    void catalogEventsFillTheReadModelAndAnOlderOrRepeatedOneChangesNothing() throws SQLException {
        EventEnvelope<ProductChanged> newer = EventEnvelope.of("RM-KETTLE", 3, changed("RM-KETTLE", "Kettle 1.7 l", 3_499, true));
        publish(newer);
        awaitProduct("RM-KETTLE", "3499 Kettle 1.7 l true 3");

        // the older version arrives late (a replay, another partition's lag): the newer price stays
        publish(EventEnvelope.of("RM-KETTLE", 2, changed("RM-KETTLE", "Kettle (old name)", 2_999, true)));
        // the same event delivered again: the inbox drops it
        publish(newer);
        publish(EventEnvelope.of("RM-KETTLE", 4, new ProductDeactivated("RM-KETTLE")));
        awaitProduct("RM-KETTLE", "3499 Kettle 1.7 l false 4");
        assertThat(scalar("SELECT count(*) FROM inbox WHERE consumer = 'products' AND event_id = '" + newer.eventId() + "'"))
                .isEqualTo("1");

        // a deactivation older than what is held changes nothing either
        publish(EventEnvelope.of("RM-KETTLE", 5, changed("RM-KETTLE", "Kettle 1.7 l", 3_299, true)));
        publish(EventEnvelope.of("RM-KETTLE", 4, new ProductDeactivated("RM-KETTLE")));
        awaitProduct("RM-KETTLE", "3299 Kettle 1.7 l true 5");
        publish(EventEnvelope.of("RM-MARKER", 1, changed("RM-MARKER", "Marker", 100, true)));
        awaitProduct("RM-MARKER", "100 Marker true 1");
        // the marker came after the stale deactivation on the same topic; the kettle is still on sale
        assertThat(product("RM-KETTLE")).isEqualTo("3299 Kettle 1.7 l true 5");
    }

    @Test
    void opsSetStockAndEveryChangeIsAnnouncedOnceInOrder() {
        knownProduct("ST-LAMP");
        put("ST-LAMP", "{\"available\": 12, \"lowStockThreshold\": 3}", ops)
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.sku").isEqualTo("ST-LAMP")
                .jsonPath("$.available").isEqualTo(12)
                .jsonPath("$.lowStockThreshold").isEqualTo(3)
                .jsonPath("$.version").isEqualTo(1);
        // the same level again is no change: no new version, no event
        put("ST-LAMP", "{\"available\": 12}", ops).expectStatus().isOk().expectBody().jsonPath("$.version").isEqualTo(1);
        put("ST-LAMP", "{\"available\": 0}", ops)
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.available").isEqualTo(0)
                .jsonPath("$.lowStockThreshold").isEqualTo(3)
                .jsonPath("$.version").isEqualTo(2);
        http.get().uri("/api/admin/inventory/ST-LAMP").header(HttpHeaders.AUTHORIZATION, "Bearer " + ops)
                .exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.available").isEqualTo(0).jsonPath("$.version").isEqualTo(2);

        List<EventEnvelope<?>> announced = inventoryEventsFor("ST-LAMP", 2);
        assertThat(announced).extracting(EventEnvelope::aggregateVersion).containsExactly(1L, 2L);
        assertThat(announced.stream().map(EventEnvelope::payload).map(Object.class::cast).toList()).containsExactly(
                new StockLevelChanged("ST-LAMP", 12, 3, "ADJUSTED"),
                new StockLevelChanged("ST-LAMP", 0, 3, "ADJUSTED"));
    }

    @Test
    void aCarefulWriteNamesTheVersionItReadAndIsRefusedWhenTheStockMovedMeanwhile() throws SQLException {
        knownProduct("ST-CAREFUL");
        http.get().uri("/api/admin/inventory/ST-CAREFUL").header(HttpHeaders.AUTHORIZATION, "Bearer " + ops)
                .exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals(HttpHeaders.ETAG, "\"0\"");
        http.put().uri("/api/admin/inventory/ST-CAREFUL").header(HttpHeaders.AUTHORIZATION, "Bearer " + ops)
                .header(HttpHeaders.IF_MATCH, "\"0\"").contentType(MediaType.APPLICATION_JSON).bodyValue("{\"available\": 10}")
                .exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals(HttpHeaders.ETAG, "\"1\"");
        // another write came in between (an order, another ops user): the stale one is refused
        put("ST-CAREFUL", "{\"available\": 7}", ops).expectStatus().isOk();
        http.put().uri("/api/admin/inventory/ST-CAREFUL").header(HttpHeaders.AUTHORIZATION, "Bearer " + ops)
                .header(HttpHeaders.IF_MATCH, "\"1\"").contentType(MediaType.APPLICATION_JSON).bodyValue("{\"available\": 15}")
                .exchange()
                .expectStatus().isEqualTo(412)
                .expectBody()
                .jsonPath("$.type").isEqualTo("https://surge.dev/problems/stock-changed")
                .jsonPath("$.available").isEqualTo(7)
                .jsonPath("$.version").isEqualTo(2);
        http.put().uri("/api/admin/inventory/ST-CAREFUL").header(HttpHeaders.AUTHORIZATION, "Bearer " + ops)
                .header(HttpHeaders.IF_MATCH, "W/\"x\"").contentType(MediaType.APPLICATION_JSON).bodyValue("{\"available\": 15}")
                .exchange()
                .expectStatus().isBadRequest();
        assertThat(scalar("SELECT available || '/' || version FROM stock WHERE sku = 'ST-CAREFUL'")).isEqualTo("7/2");
    }

    @Test
    void aProductWhoseStockWasNeverSetHasNothingToSell() {
        knownProduct("ST-NEVER");
        http.get().uri("/api/admin/inventory/ST-NEVER").header(HttpHeaders.AUTHORIZATION, "Bearer " + ops)
                .exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.available").isEqualTo(0).jsonPath("$.version").isEqualTo(0);
    }

    @Test
    void badStockRequestsAreProblemsAndChangeNothing() throws SQLException {
        knownProduct("ST-BAD");
        put("ST-BAD", "{\"available\": -1, \"lowStockThreshold\": 20000000}", ops)
                .expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type").isEqualTo("https://surge.dev/problems/invalid-request")
                .jsonPath("$.errors[*].field").isEqualTo(List.of("available", "lowStockThreshold"));
        put("ST-BAD", "{}", ops).expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("available");
        put("not a sku", "{\"available\": 1}", ops).expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("sku");
        put("ST-UNKNOWN", "{\"available\": 1}", ops).expectStatus().isNotFound()
                .expectBody().jsonPath("$.type").isEqualTo("https://surge.dev/problems/product-not-found");
        assertThat(scalar("SELECT count(*) FROM stock WHERE sku IN ('ST-BAD', 'ST-UNKNOWN')")).isEqualTo("0");
    }

    @Test
    void onlyOpsMayReadOrSetStock() throws SQLException {
        knownProduct("ST-GUARDED");
        put("ST-GUARDED", "{\"available\": 5}", shopper).expectStatus().isForbidden()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        http.get().uri("/api/admin/inventory/ST-GUARDED").header(HttpHeaders.AUTHORIZATION, "Bearer " + shopper)
                .exchange()
                .expectStatus().isForbidden();
        http.put().uri("/api/admin/inventory/ST-GUARDED").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"available\": 5}")
                .exchange()
                .expectStatus().isUnauthorized();
        assertThat(scalar("SELECT count(*) FROM stock WHERE sku = 'ST-GUARDED'")).isEqualTo("0");
    }

    private void knownProduct(String sku) {
        publish(EventEnvelope.of(sku, 1, changed(sku, "Product " + sku, 1_000, true)));
        awaitProduct(sku, "1000 Product " + sku + " true 1");
    }

    private static ProductChanged changed(String sku, String name, long cents, boolean active) {
        return new ProductChanged(sku, name, "Acme", "home", new Money(cents, "EUR"), active, CHANGED_AT,
                "/images/" + sku + ".svg", 1_200);
    }

    private void publish(EventEnvelope<?> envelope) {
        StepVerifier.create(events.publish(envelope)).verifyComplete();
    }

    private void awaitProduct(String sku, String expected) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(product(sku)).isEqualTo(expected));
    }

    private String product(String sku) throws SQLException {
        return scalar("SELECT price_amount || ' ' || name || ' ' || active || ' ' || catalog_version FROM product "
                + "WHERE sku = '" + sku + "'");
    }

    private WebTestClient.ResponseSpec put(String sku, String body, String token) {
        return http.put().uri("/api/admin/inventory/{sku}", sku)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange();
    }

    private List<EventEnvelope<?>> inventoryEventsFor(String sku, int expected) {
        List<EventEnvelope<?>> found = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            for (ConsumerRecord<String, byte[]> record : inventoryEvents.poll(Duration.ofMillis(200))) {
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

    private String scalar(String sql) throws SQLException {
        try (Connection connection = Infrastructure.postgres().connect(isolation.database());
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            return rows.next() ? rows.getString(1) : null;
        }
    }
}
