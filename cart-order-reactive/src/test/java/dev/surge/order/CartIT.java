package dev.surge.order;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.surge.testsupport.IntegrationTest;

/** The signed-in shopper's cart, the guest cart's merge and its public price look-up. */
@IntegrationTest
@TestPropertySource(properties = { "surge.cart.max-lines=4", "surge.cart.max-quantity-per-line=5" })
class CartIT extends ShopFixtures {

    @BeforeAll
    void products() {
        product("CART-MUG", 1_299, 20);
        product("CART-PEN", 250, 2);
        product("CART-GONE", 999, 0);
        product("CART-OFF", 1, 500, false);
        product("CART-A", 100, 50);
        product("CART-B", 100, 50);
        product("CART-C", 100, 50);
    }

    @Test
    void addChangeAndRemoveLinesEachAnsweringWithTheCart() throws SQLException {
        String shopper = identity.shopperToken("cart-ann");
        add(shopper, "CART-MUG", 2).expectStatus().isOk()
                .expectBody()
                .jsonPath("$.lines[0].sku").isEqualTo("CART-MUG")
                .jsonPath("$.lines[0].name").isEqualTo("Product CART-MUG")
                .jsonPath("$.lines[0].imageUrl").isEqualTo("/images/products/CART-MUG-1.svg")
                .jsonPath("$.lines[0].quantity").isEqualTo(2)
                .jsonPath("$.lines[0].unitPrice.amount").isEqualTo(1_299)
                .jsonPath("$.lines[0].lineTotal.amount").isEqualTo(2_598)
                .jsonPath("$.lines[0].availability").isEqualTo("IN_STOCK")
                .jsonPath("$.lines[0].orderable").isEqualTo(5)
                .jsonPath("$.lines[0].priceChanged").isEqualTo(false)
                .jsonPath("$.itemCount").isEqualTo(2)
                .jsonPath("$.subtotal.amount").isEqualTo(2_598)
                .jsonPath("$.version").isEqualTo(1);
        add(shopper, "CART-MUG", 1).expectStatus().isOk().expectBody().jsonPath("$.lines[0].quantity").isEqualTo(3);
        add(shopper, "CART-PEN", 2).expectStatus().isOk()
                .expectBody().jsonPath("$.lines[1].availability").isEqualTo("LOW").jsonPath("$.itemCount").isEqualTo(5);
        http.patch().uri("/api/cart/items/CART-MUG").header(HttpHeaders.AUTHORIZATION, "Bearer " + shopper)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"quantity\": 1}")
                .exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.lines[0].quantity").isEqualTo(1).jsonPath("$.subtotal.amount").isEqualTo(1_799);
        http.delete().uri("/api/cart/items/CART-PEN").header(HttpHeaders.AUTHORIZATION, "Bearer " + shopper)
                .exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.lines.length()").isEqualTo(1).jsonPath("$.version").isEqualTo(5);
        http.delete().uri("/api/cart/items/CART-PEN").header(HttpHeaders.AUTHORIZATION, "Bearer " + shopper)
                .exchange()
                .expectStatus().isNotFound()
                .expectBody().jsonPath("$.type").isEqualTo("https://surge.dev/problems/cart-line-not-found");

        assertThat(count("SELECT count(*) FROM outbox_written WHERE event_type = 'ItemAddedToCart' AND aggregate_id = 'cart-ann'"))
                .isEqualTo(3);
        assertThat(count("SELECT count(*) FROM outbox_written WHERE event_type = 'ItemRemovedFromCart' AND aggregate_id = 'cart-ann'"))
                .isEqualTo(1);
    }

    @Test
    void refusesWhatCannotBeOrderedNamingWhy() throws SQLException {
        String shopper = identity.shopperToken("cart-bob");
        add(shopper, "CART-PEN", 3).expectStatus().isEqualTo(409)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type").isEqualTo("https://surge.dev/problems/out-of-stock")
                .jsonPath("$.sku").isEqualTo("CART-PEN")
                .jsonPath("$.available").isEqualTo(2);
        add(shopper, "CART-GONE", 1).expectStatus().isEqualTo(409).expectBody().jsonPath("$.available").isEqualTo(0);
        add(shopper, "CART-OFF", 1).expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.type").isEqualTo("https://surge.dev/problems/product-unavailable");
        add(shopper, "CART-NOPE", 1).expectStatus().isNotFound()
                .expectBody().jsonPath("$.type").isEqualTo("https://surge.dev/problems/product-not-found");
        for (String quantity : List.of("0", "-1", "6", "100000000000", "null", "\"two\"")) {
            post("/api/cart/items", shopper).bodyValue("{\"sku\": \"CART-MUG\", \"quantity\": " + quantity + "}")
                    .exchange()
                    .expectStatus().isBadRequest()
                    .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        }
        post("/api/cart/items", shopper).bodyValue("{\"sku\": \"no such\", \"quantity\": 1}").exchange()
                .expectStatus().isBadRequest().expectBody().jsonPath("$.errors[0].field").isEqualTo("sku");
        post("/api/cart/items", shopper).bodyValue("{\"sku\": ").exchange().expectStatus().isBadRequest();
        http.post().uri("/api/cart/items").header(HttpHeaders.AUTHORIZATION, "Bearer " + shopper)
                .contentType(MediaType.TEXT_PLAIN).bodyValue("sku=CART-MUG").exchange()
                .expectStatus().isEqualTo(415);
        assertThat(count("SELECT count(*) FROM cart_line WHERE user_id = 'cart-bob'")).isZero();

        add(shopper, "CART-A", 1).expectStatus().isOk();
        add(shopper, "CART-B", 1).expectStatus().isOk();
        add(shopper, "CART-C", 1).expectStatus().isOk();
        add(shopper, "CART-MUG", 1).expectStatus().isOk();
        add(shopper, "CART-PEN", 1).expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("sku");
        add(shopper, "CART-MUG", 5).expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("quantity");
    }

    @Test
    void aPriceChangeSinceAddingIsFlagged() {
        String shopper = identity.shopperToken("cart-cleo");
        product("CART-LAMP", 2_000, 10);
        add(shopper, "CART-LAMP", 1).expectStatus().isOk();
        product("CART-LAMP", 2, 2_500, true);
        cart(shopper).expectBody()
                .jsonPath("$.lines[0].priceChanged").isEqualTo(true)
                .jsonPath("$.lines[0].priceWhenAdded.amount").isEqualTo(2_000)
                .jsonPath("$.lines[0].unitPrice.amount").isEqualTo(2_500)
                .jsonPath("$.subtotal.amount").isEqualTo(2_500);
        product("CART-LAMP", 3, 2_500, false);
        cart(shopper).expectBody()
                .jsonPath("$.lines[0].availability").isEqualTo("UNAVAILABLE")
                .jsonPath("$.subtotal.amount").isEqualTo(0);
    }

    @Test
    void theEstimateIsForTheDefaultAddressOrTheOneAskedFor() {
        String shopper = identity.shopperToken("cart-dora");
        add(shopper, "CART-MUG", 1).expectStatus().isOk();
        cart(shopper).expectBody().jsonPath("$.estimate").doesNotExist();
        String home = address(shopper, "DE");
        cart(shopper).expectBody()
                .jsonPath("$.estimate.country").isEqualTo("DE")
                .jsonPath("$.estimate.shipping.amount").isEqualTo(495)
                .jsonPath("$.estimate.total.amount").isEqualTo(1_794)
                // 1794 × 19 / 119 = 286.44
                .jsonPath("$.estimate.tax.amount").isEqualTo(286);
        String away = address(shopper, "US");
        http.get().uri("/api/cart?addressId={id}", away).header(HttpHeaders.AUTHORIZATION, "Bearer " + shopper)
                .exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.estimate.country").isEqualTo("US").jsonPath("$.estimate.shipping.amount").isEqualTo(2_495);
        String someoneElses = address(identity.shopperToken("cart-eve"), "FR");
        http.get().uri("/api/cart?addressId={id}", someoneElses).header(HttpHeaders.AUTHORIZATION, "Bearer " + shopper)
                .exchange()
                .expectStatus().isNotFound();
        assertThat(home).isNotEqualTo(away);
    }

    @Test
    void aGuestCartMergesClampedAndReportedAndARetryChangesNothing() throws SQLException {
        String shopper = identity.shopperToken("cart-finn");
        add(shopper, "CART-MUG", 2).expectStatus().isOk();
        String guest = """
                {"lines": [{"sku": "CART-MUG", "quantity": 1}, {"sku": "CART-PEN", "quantity": 4},
                           {"sku": "CART-GONE", "quantity": 1}, {"sku": "CART-OFF", "quantity": 1},
                           {"sku": "CART-NOPE", "quantity": 1}, {"sku": "bad", "quantity": 1}, {"sku": "CART-A", "quantity": 9}]}""";
        WebTestClient.BodyContentSpec first = post("/api/cart/merge", shopper).bodyValue(guest).exchange()
                .expectStatus().isOk()
                .expectBody();
        first.jsonPath("$.cart.lines[?(@.sku == 'CART-MUG')].quantity").isEqualTo(List.of(2))
                .jsonPath("$.cart.lines[?(@.sku == 'CART-PEN')].quantity").isEqualTo(List.of(2))
                .jsonPath("$.cart.lines[?(@.sku == 'CART-A')].quantity").isEqualTo(List.of(5))
                .jsonPath("$.adjustments[?(@.sku == 'CART-PEN')].reason").isEqualTo(List.of("CLAMPED"))
                .jsonPath("$.adjustments[?(@.sku == 'CART-A')].quantity").isEqualTo(List.of(5))
                .jsonPath("$.adjustments[?(@.sku == 'CART-GONE')].reason").isEqualTo(List.of("SOLD_OUT"))
                .jsonPath("$.adjustments[?(@.sku == 'CART-OFF')].reason").isEqualTo(List.of("INACTIVE"))
                .jsonPath("$.adjustments[?(@.sku == 'CART-NOPE')].reason").isEqualTo(List.of("UNKNOWN"))
                .jsonPath("$.adjustments[?(@.sku == 'bad')].reason").isEqualTo(List.of("INVALID"));
        String linesAfterFirst = scalar("SELECT string_agg(sku || ':' || quantity, ',' ORDER BY sku) FROM cart_line WHERE user_id = 'cart-finn'");

        post("/api/cart/merge", shopper).bodyValue(guest).exchange().expectStatus().isOk();
        assertThat(scalar("SELECT string_agg(sku || ':' || quantity, ',' ORDER BY sku) FROM cart_line WHERE user_id = 'cart-finn'"))
                .isEqualTo(linesAfterFirst)
                .isEqualTo("CART-A:5,CART-MUG:2,CART-PEN:2");
    }

    @Test
    void aFirstSignInMergesTheGuestCartIntoANewCart() throws SQLException {
        String shopper = identity.shopperToken("cart-ida");
        post("/api/cart/merge", shopper).bodyValue("{\"lines\": [{\"sku\": \"CART-MUG\", \"quantity\": 2}]}").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.cart.lines[0].sku").isEqualTo("CART-MUG")
                .jsonPath("$.cart.lines[0].quantity").isEqualTo(2)
                .jsonPath("$.adjustments.length()").isEqualTo(0);
        assertThat(scalar("SELECT version FROM cart WHERE user_id = 'cart-ida'")).isEqualTo("1");
    }

    @Test
    void aGuestSeesPricesWithoutSigningIn() {
        http.post().uri("/api/cart/prices").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"skus\": [\"CART-MUG\", \"CART-GONE\", \"CART-OFF\", \"CART-NOPE\", \"bad sku\"]}")
                .exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.items.length()").isEqualTo(3)
                .jsonPath("$.items[0].sku").isEqualTo("CART-MUG")
                .jsonPath("$.items[0].unitPrice.amount").isEqualTo(1_299)
                .jsonPath("$.items[0].availability").isEqualTo("IN_STOCK")
                .jsonPath("$.items[1].availability").isEqualTo("OUT_OF_STOCK")
                .jsonPath("$.items[2].availability").isEqualTo("UNAVAILABLE");
        http.get().uri("/api/cart").exchange().expectStatus().isUnauthorized();
    }

    @Test
    void aShopperSeesOnlyTheirOwnCart() {
        add(identity.shopperToken("cart-gus"), "CART-MUG", 1).expectStatus().isOk();
        cart(identity.shopperToken("cart-hal")).expectBody().jsonPath("$.lines.length()").isEqualTo(0)
                .jsonPath("$.version").isEqualTo(0);
    }

    private WebTestClient.ResponseSpec add(String token, String sku, int quantity) {
        return post("/api/cart/items", token).bodyValue("{\"sku\": \"" + sku + "\", \"quantity\": " + quantity + "}").exchange();
    }

    private WebTestClient.ResponseSpec cart(String token) {
        return http.get().uri("/api/cart").header(HttpHeaders.AUTHORIZATION, "Bearer " + token).exchange().expectStatus().isOk();
    }

    String address(String token, String country) {
        return post("/api/users/me/addresses", token)
                .bodyValue("""
                        {"recipientName": "Dora Example", "line1": "Hauptstr. 1", "city": "Berlin", "postalCode": "10115",
                         "countryCode": "%s", "default": true}""".formatted(country))
                .exchange()
                .expectStatus().isCreated()
                .expectBody(String.class)
                .returnResult()
                .getResponseBody()
                .replaceAll(".*\"id\"\\s*:\\s*\"([^\"]+)\".*", "$1");
    }
}
