package dev.surge.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.surge.testsupport.Browser;
import dev.surge.testsupport.Infrastructure;
import dev.surge.testsupport.PostgresServer;
import dev.surge.testsupport.TestIsolation;

/**
 * The shop end to end with the built catalog, cart-order and gateway jars as their own processes:
 * the catalog announces its products and cart-order learns them from the events alone; ops set
 * stock and catalog's displayed availability follows; a shopper signed in with the session cookie
 * fills a cart, checks out through the gateway (confirming the total it was told) and reads the order.
 */
class ShopThroughGatewayIT {

    private static final Pattern ORDER_ID = Pattern.compile("\"id\"\\s*:\\s*\"([0-9a-f-]{36})\"");
    private static final Pattern TOTAL = Pattern.compile("\"total\"\\s*:\\s*\\{\"amount\"\\s*:\\s*(\\d+)");

    private static TestIsolation catalogIsolation;
    private static TestIsolation ordersIsolation;
    private static ServiceProcess catalog;
    private static ServiceProcess cartOrder;
    private static ServiceProcess gateway;
    private static String ops;

    @BeforeAll
    static void startTheShop() throws IOException {
        catalogIsolation = TestIsolation.forClass(ShopThroughGatewayIT.class);
        ordersIsolation = TestIsolation.forClass(OrdersDatabase.class);
        PostgresServer postgres = Infrastructure.postgres();
        // one shop: every service on the same topics
        Map<String, Object> common = ServiceSettings.shop(catalogIsolation);

        catalog = ServiceProcess.start("catalog-reactive", ServiceSettings.withDatabase(common, catalogIsolation));
        cartOrder = ServiceProcess.start("cart-order-reactive", ServiceSettings.withDatabase(common, ordersIsolation));
        catalog.awaitReady(Duration.ofSeconds(120));
        cartOrder.awaitReady(Duration.ofSeconds(120));

        Map<String, Object> gatewaySettings = new HashMap<>(common);
        gatewaySettings.put("surge.services.catalog", catalog.url());
        gatewaySettings.put("surge.services.cart-order", cartOrder.url());
        gateway = ServiceProcess.start("edge-gateway", gatewaySettings);
        gateway.awaitReady(Duration.ofSeconds(120));

        // a catalog loaded by SQL, as the dev demo is: announced at nobody's request until ops ask
        Path fixture = Path.of(System.getProperty("surge.root", "..")).resolve("catalog-reactive/src/test/resources/fixtures/catalog.sql");
        postgres.execute(catalogIsolation.database(), Files.readString(fixture));
        ops = Infrastructure.identityProvider().opsToken("olga");
    }

    /** Names the second database of this class. */
    private static final class OrdersDatabase {
    }

    @AfterAll
    static void stopTheShop() {
        for (ServiceProcess process : new ServiceProcess[] { gateway, cartOrder, catalog }) {
            if (process != null) {
                process.close();
            }
        }
        for (TestIsolation isolation : new TestIsolation[] { catalogIsolation, ordersIsolation }) {
            if (isolation != null) {
                isolation.close();
            }
        }
    }

    @Test
    void aShopperBuysThroughTheGatewayWithTheCookieOnlyAndTheCatalogShowsTheStockThatIsLeft() {
        Browser ops = new Browser();
        Map<String, String> bearer = Map.of("Authorization", "Bearer " + ShopThroughGatewayIT.ops);
        HttpResponse<String> announced = ops.postJson(gateway.url() + "/api/admin/products/announcements", "", bearer);
        assertThat(announced.statusCode()).as(announced.body()).isEqualTo(200);
        // cart-order knows the products from the events alone; then ops stock one, and catalog shows it
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            HttpResponse<String> stocked = ops.sendJson("PUT", gateway.url() + "/api/admin/inventory/P-SONY",
                    "{\"available\": 3, \"lowStockThreshold\": 5}", bearer);
            assertThat(stocked.statusCode()).as(stocked.body()).isEqualTo(200);
        });
        awaitAvailability("\"availability\":{\"status\":\"LOW_STOCK\",\"count\":3}");

        Browser guest = new Browser();
        HttpResponse<String> prices = guest.postJson(gateway.url() + "/api/cart/prices", "{\"skus\": [\"P-SONY\"]}", Map.of());
        assertThat(prices.statusCode()).as(prices.body()).isEqualTo(200);
        assertThat(prices.body()).contains("\"unitPrice\":{\"amount\":34900", "\"availability\":\"LOW\"");

        Browser alice = new Browser();
        HttpResponse<String> landed = alice.signIn(gateway.url(), "shop-alice", "{\"email\":\"shop-alice@surge.test\"}");
        assertThat(landed.statusCode()).as(gateway.tail()).isEqualTo(302);
        alice.get(gateway.url() + "/api/session");
        Map<String, String> csrf = Map.of("X-XSRF-TOKEN", alice.cookie(gateway.url(), "XSRF-TOKEN"));

        HttpResponse<String> added = alice.postJson(gateway.url() + "/api/cart/items", "{\"sku\": \"P-SONY\", \"quantity\": 2}", csrf);
        assertThat(added.statusCode()).as(added.body()).isEqualTo(200);
        assertThat(added.body()).contains("\"itemCount\":2");

        String checkout = """
                {"address": {"recipientName": "Alice Shopper", "line1": "1 Harbour Street", "city": "Hamburg",
                             "postalCode": "20095", "countryCode": "DE"},
                 "paymentMethod": "tok_visa", "expectedTotal": {"amount": %d, "currency": "EUR"}}""";
        Map<String, String> headers = new HashMap<>(csrf);
        headers.put("Idempotency-Key", UUID.randomUUID().toString());
        HttpResponse<String> told = alice.postJson(gateway.url() + "/api/orders", checkout.formatted(0), headers);
        assertThat(told.statusCode()).as(told.body()).isEqualTo(409);
        assertThat(told.body()).contains("https://surge.dev/problems/price-changed");
        Matcher total = TOTAL.matcher(told.body());
        assertThat(total.find()).isTrue();
        assertThat(total.group(1)).isEqualTo("69800");

        HttpResponse<String> placed = alice.postJson(gateway.url() + "/api/orders", checkout.formatted(69_800), headers);
        assertThat(placed.statusCode()).as(placed.body()).isEqualTo(201);
        assertThat(placed.body()).contains("\"status\":\"PENDING_PAYMENT\"").doesNotContain("tok_visa");
        Matcher id = ORDER_ID.matcher(placed.body());
        assertThat(id.find()).isTrue();
        HttpResponse<String> again = alice.postJson(gateway.url() + "/api/orders", checkout.formatted(69_800), headers);
        assertThat(again.statusCode()).isEqualTo(201);
        assertThat(again.headers().firstValue("Idempotent-Replayed")).hasValue("true");

        HttpResponse<String> order = alice.get(gateway.url() + "/api/orders/" + id.group(1));
        assertThat(order.statusCode()).isEqualTo(200);
        assertThat(order.body()).contains("P-SONY", "Hamburg");
        assertThat(alice.get(gateway.url() + "/api/orders").body()).contains(id.group(1), "\"total\":1");
        assertThat(alice.get(gateway.url() + "/api/cart").body()).contains("\"itemCount\":0");
        // the stock the order took shows on the product page too
        awaitAvailability("\"availability\":{\"status\":\"LOW_STOCK\",\"count\":1}");

        Browser bob = new Browser();
        bob.signIn(gateway.url(), "shop-bob", "{}");
        assertThat(bob.get(gateway.url() + "/api/orders/" + id.group(1)).statusCode()).isEqualTo(404);
    }

    private static void awaitAvailability(String expected) {
        Browser anyone = new Browser();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(anyone.get(catalog.url() + "/api/products/P-SONY").body().replace(" ", "")).contains(expected));
    }
}
