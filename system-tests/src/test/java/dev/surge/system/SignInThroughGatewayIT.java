package dev.surge.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.surge.testsupport.Browser;
import dev.surge.testsupport.Infrastructure;
import dev.surge.testsupport.TestIsolation;

/**
 * The real thing end to end: the built gateway and cart-order jars as their own processes, the
 * provider, PostgreSQL, Redis and Kafka of the test infrastructure. A shopper signs in through the
 * gateway's login, creates and reads their profile and an address with only the session cookie,
 * and another shopper cannot reach them.
 */
class SignInThroughGatewayIT {

    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([0-9a-f-]{36})\"");

    private static TestIsolation isolation;
    private static ServiceProcess cartOrder;
    private static ServiceProcess gateway;

    @BeforeAll
    static void startServices() {
        isolation = TestIsolation.forClass(SignInThroughGatewayIT.class);
        Map<String, Object> common = ServiceSettings.shop(isolation);
        cartOrder = ServiceProcess.start("cart-order-reactive", ServiceSettings.withDatabase(common, isolation));

        Map<String, Object> gatewaySettings = new HashMap<>(common);
        gatewaySettings.put("surge.services.cart-order", cartOrder.url());
        gateway = ServiceProcess.start("edge-gateway", gatewaySettings);

        cartOrder.awaitReady(Duration.ofSeconds(120));
        gateway.awaitReady(Duration.ofSeconds(120));
    }

    @AfterAll
    static void stopServices() {
        if (gateway != null) {
            gateway.close();
        }
        if (cartOrder != null) {
            cartOrder.close();
        }
        if (isolation != null) {
            isolation.close();
        }
    }

    @Test
    void aShopperSignsInAndUsesTheirProfileWithTheCookieOnly() {
        Browser alice = signedIn("alice", "{\"name\":\"Alice Shopper\",\"email\":\"alice@surge.test\"}");
        Map<String, String> csrf = csrf(alice);

        HttpResponse<String> created = alice.sendJson("PUT", gateway.url() + "/api/users/me", "", csrf);
        assertThat(created.statusCode()).as(created.body()).isIn(200, 201);
        HttpResponse<String> profile = alice.get(gateway.url() + "/api/users/me");
        assertThat(profile.statusCode()).isEqualTo(200);
        assertThat(profile.body()).contains("\"userId\":\"alice\"", "alice@surge.test", "Alice Shopper")
                .doesNotContain("eyJ");

        HttpResponse<String> address = alice.postJson(gateway.url() + "/api/users/me/addresses", """
                {"recipientName":"Alice Shopper","line1":"1 Harbour Street","city":"Hamburg",
                 "postalCode":"20095","countryCode":"DE"}""", csrf);
        assertThat(address.statusCode()).as(address.body()).isEqualTo(201);
        assertThat(alice.get(gateway.url() + "/api/users/me/addresses").body()).contains("1 Harbour Street");
    }

    @Test
    void anotherShopperCannotReachThem() {
        Browser alice = signedIn("alice2", "{\"email\":\"alice2@surge.test\"}");
        Map<String, String> aliceCsrf = csrf(alice);
        alice.sendJson("PUT", gateway.url() + "/api/users/me", "", aliceCsrf);
        HttpResponse<String> saved = alice.postJson(gateway.url() + "/api/users/me/addresses", """
                {"recipientName":"Alice Two","line1":"7 Secret Lane","city":"Leeds","postalCode":"LS1 4AP","countryCode":"GB"}""",
                aliceCsrf);
        assertThat(saved.statusCode()).as(saved.body()).isEqualTo(201);
        Matcher id = ID.matcher(saved.body());
        assertThat(id.find()).isTrue();
        String aliceAddress = gateway.url() + "/api/users/me/addresses/" + id.group(1);

        Browser bob = signedIn("bob2", "{\"email\":\"bob2@surge.test\"}");
        Map<String, String> bobCsrf = csrf(bob);
        HttpResponse<String> read = bob.get(aliceAddress);
        assertThat(read.statusCode()).isEqualTo(404);
        assertThat(read.body()).doesNotContain("Secret Lane").doesNotContain("alice2");
        HttpResponse<String> change = bob.sendJson("PUT", aliceAddress, """
                {"recipientName":"Bob","line1":"Bob's","city":"Leeds","postalCode":"LS1 4AP","countryCode":"GB"}""", bobCsrf);
        assertThat(change.statusCode()).isEqualTo(404);
        assertThat(bob.sendJson("DELETE", aliceAddress, "", bobCsrf).statusCode()).isEqualTo(404);
        // a user id in the query string means nothing: "me" is the token's subject
        assertThat(bob.get(gateway.url() + "/api/users/me?userId=alice2").body()).doesNotContain("alice2");

        assertThat(alice.get(aliceAddress).body()).contains("7 Secret Lane", "Alice Two");
    }

    @Test
    void theServiceChecksTheTokenAgainBehindTheGateway() {
        Browser direct = new Browser();
        assertThat(direct.get(cartOrder.url() + "/api/users/me").statusCode()).isEqualTo(401);
        assertThat(direct.get(cartOrder.url() + "/api/users/me",
                Map.of("Authorization", "Bearer " + Infrastructure.identityProvider().shopperToken("alice") + "x"))
                .statusCode()).isEqualTo(401);
    }

    @Test
    void signingOutEndsAccess() {
        Browser carol = signedIn("carol", "{}");
        Map<String, String> csrf = csrf(carol);
        assertThat(carol.get(gateway.url() + "/api/users/me").statusCode()).isIn(200, 404);
        HttpResponse<String> logout = carol.postForm(gateway.url() + "/logout", Map.of(), csrf);
        assertThat(logout.statusCode()).isEqualTo(302);
        assertThat(carol.get(gateway.url() + "/api/users/me").statusCode()).isEqualTo(401);
    }

    private static Browser signedIn(String user, String claims) {
        Browser browser = new Browser();
        HttpResponse<String> landed = browser.signIn(gateway.url(), user, claims);
        assertThat(landed.statusCode()).as(gateway.tail()).isEqualTo(302);
        assertThat(Browser.location(landed)).doesNotContain("login=failed");
        return browser;
    }

    private static Map<String, String> csrf(Browser browser) {
        browser.get(gateway.url() + "/api/session");
        String token = browser.cookie(gateway.url(), "XSRF-TOKEN");
        assertThat(token).isNotBlank();
        return Map.of("X-XSRF-TOKEN", token);
    }
}
