package dev.surge.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.util.UriComponentsBuilder;

import dev.surge.testsupport.Browser;
import dev.surge.testsupport.IdentityProvider;
import dev.surge.testsupport.Infrastructure;
import dev.surge.testsupport.IntegrationTest;

/**
 * A browser signing in through the gateway against the real provider, step by step: the gateway
 * sends it to the provider with PKCE, the provider's login form, the code back to the gateway, a
 * new session id in an HttpOnly cookie, the shopper's token relayed to the service (and refreshed),
 * CSRF on unsafe requests, and sign-out ending both sessions.
 */
@IntegrationTest(database = false, kafka = false)
class BrowserLoginIT {

    private static final EchoService SERVICES = new EchoService();
    private static final IdentityProvider PROVIDER = Infrastructure.identityProvider();
    private static final String SESSION = "SURGE_SESSION";

    @Value("${local.server.port}")
    int port;

    @Value("${surge.redis.key-prefix}")
    String redisPrefix;

    @Autowired
    ReactiveStringRedisTemplate redis;

    @Autowired
    ReactiveJwtDecoder tokens;

    private Browser browser;

    @DynamicPropertySource
    static void upstreams(DynamicPropertyRegistry registry) {
        registry.add("surge.services.catalog", SERVICES::url);
        registry.add("surge.services.cart-order", SERVICES::url);
        registry.add("surge.services.notify", SERVICES::url);
        // the provider's tokens live an hour: with this margin every relay refreshes first, which the test can see
        registry.add("surge.gateway.login.refresh-before-expiry", () -> "2h");
    }

    @AfterAll
    static void stop() {
        SERVICES.close();
    }

    @BeforeEach
    void newBrowser() {
        browser = new Browser();
        SERVICES.forget();
    }

    @Test
    void signsInWithCodeAndPkceAndRelaysTheShoppersToken() {
        HttpResponse<String> start = browser.get(gateway("/oauth2/authorization/surge"));
        assertThat(start.statusCode()).isEqualTo(302);
        String authorize = Browser.location(start);
        Map<String, String> query = UriComponentsBuilder.fromUriString(authorize).build().getQueryParams().toSingleValueMap();
        assertThat(authorize).startsWith(PROVIDER.issuerUri() + "/authorize");
        assertThat(query).containsEntry("response_type", "code").containsEntry("code_challenge_method", "S256")
                .containsKeys("code_challenge", "state", "nonce", "client_id");
        assertThat(query.get("scope")).contains("openid");
        String before = browser.cookie(gateway("/"), SESSION);
        assertThat(before).as("the pending sign-in is kept in a session").isNotNull();
        assertThat(Browser.setCookies(start, SESSION)).singleElement().satisfies(cookie -> assertThat(cookie)
                .containsIgnoringCase("HttpOnly").contains("SameSite=Lax").contains("Path=/")
                .doesNotContainIgnoringCase("Secure"));

        assertThat(redis.getExpire(redisPrefix + "session:sessions:" + before).block(Duration.ofSeconds(5)))
                .as("a sign-in that is only started lives minutes, not hours")
                .isPositive().isLessThanOrEqualTo(Duration.ofMinutes(10));

        HttpResponse<String> loginPage = browser.get(authorize);
        assertThat(loginPage.statusCode()).isEqualTo(200);
        assertThat(loginPage.body()).containsIgnoringCase("<form");

        HttpResponse<String> signedIn = browser.postForm(authorize, Map.of("username", "alice",
                "claims", "{\"name\":\"Alice Shopper\",\"email\":\"alice@surge.test\"}"), Map.of());
        assertThat(signedIn.statusCode()).isEqualTo(302);
        String callback = Browser.location(signedIn);
        assertThat(callback).startsWith(gateway("/login/oauth2/code/surge")).contains("code=");

        HttpResponse<String> landed = browser.get(callback);
        assertThat(landed.statusCode()).isEqualTo(302);
        assertThat(Browser.location(landed)).isIn("/", gateway("/"));
        String after = browser.cookie(gateway("/"), SESSION);
        assertThat(after).as("a new session id at sign-in (no fixation)").isNotNull().isNotEqualTo(before);
        assertThat(landed.headers().map().toString()).as("no token in the headers").doesNotContain("eyJ");
        assertThat(redis.hasKey(redisPrefix + "session:sessions:" + after).block(Duration.ofSeconds(5)))
                .as("the session lives in Redis, so any gateway instance can serve it").isTrue();
        assertThat(redis.hasKey(redisPrefix + "session:sessions:" + before).block(Duration.ofSeconds(5))).isFalse();
        assertThat(redis.getExpire(redisPrefix + "session:sessions:" + after).block(Duration.ofSeconds(5)))
                .as("signed in: the full session timeout").isGreaterThan(Duration.ofHours(1));

        HttpResponse<String> session = browser.get(gateway("/api/session"));
        assertThat(session.statusCode()).isEqualTo(200);
        assertThat(session.body()).contains("\"authenticated\":true", "\"subject\":\"alice\"", "Alice Shopper")
                .doesNotContain("eyJ").doesNotContain("token\"");
        assertThat(browser.cookie(gateway("/"), "XSRF-TOKEN")).isNotBlank();

        HttpResponse<String> profile = browser.get(gateway("/api/users/me"));
        assertThat(profile.statusCode()).isEqualTo(200);
        EchoService.Received relayed = SERVICES.last();
        assertThat(relayed.cookie()).as("cookies stay at the gateway").isNull();
        assertThat(relayed.authorization()).startsWith("Bearer ");
        Jwt first = tokens.decode(relayed.authorization().substring(7)).block(Duration.ofSeconds(5));
        assertThat(first.getSubject()).isEqualTo("alice");
        assertThat(first.getAudience()).contains("surge");

        browser.get(gateway("/api/users/me"));
        Jwt refreshed = tokens.decode(SERVICES.last().authorization().substring(7)).block(Duration.ofSeconds(5));
        assertThat(refreshed.getTokenValue()).as("refreshed before it expires").isNotEqualTo(first.getTokenValue());
        assertThat(refreshed.getSubject()).isEqualTo("alice");
    }

    @Test
    void unsafeRequestsNeedTheCsrfTokenFromTheCookie() {
        signIn("bob", "{}");
        browser.get(gateway("/api/session"));
        String csrf = browser.cookie(gateway("/"), "XSRF-TOKEN");
        SERVICES.forget();

        HttpResponse<String> missing = browser.postJson(gateway("/api/users/me/addresses"), "{}", Map.of());
        assertThat(missing.statusCode()).isEqualTo(403);
        assertThat(missing.body()).contains("https://surge.dev/problems/csrf");
        HttpResponse<String> wrong = browser.postJson(gateway("/api/users/me/addresses"), "{}",
                Map.of("X-XSRF-TOKEN", "guessed-" + csrf));
        assertThat(wrong.statusCode()).isEqualTo(403);
        assertThat(SERVICES.received()).as("nothing reached the service").isEmpty();

        HttpResponse<String> right = browser.postJson(gateway("/api/users/me/addresses"), "{}", Map.of("X-XSRF-TOKEN", csrf));
        assertThat(right.statusCode()).isEqualTo(200);
        assertThat(SERVICES.last().method()).isEqualTo("POST");
        assertThat(SERVICES.last().authorization()).startsWith("Bearer ");
    }

    @Test
    void withoutASessionAnApiCallIsA401NotARedirect() {
        HttpResponse<String> response = browser.get(gateway("/api/users/me"));
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                assertThat(type).startsWith("application/problem+json"));
        assertThat(response.body()).contains("/oauth2/authorization/surge");
        HttpResponse<String> session = browser.get(gateway("/api/session"));
        assertThat(session.body()).contains("\"authenticated\":false");
    }

    @Test
    void registeringIsASignInThatAsksTheProviderForItsSignUpPage() {
        assertThat(browser.get(gateway("/api/session")).body()).as("the app is told where to register")
                .contains("\"signUpUrl\":\"/oauth2/authorization/surge?sign-up\"");

        HttpResponse<String> start = browser.get(gateway("/oauth2/authorization/surge?sign-up"));
        assertThat(start.statusCode()).isEqualTo(302);
        String authorize = Browser.location(start);
        Map<String, String> query = UriComponentsBuilder.fromUriString(authorize).build().getQueryParams().toSingleValueMap();
        assertThat(authorize).startsWith(PROVIDER.issuerUri() + "/authorize");
        assertThat(query).containsEntry("prompt", "create").containsEntry("code_challenge_method", "S256")
                .containsKeys("code_challenge", "state", "nonce");

        HttpResponse<String> registered = browser.postForm(authorize, Map.of("username", "newcomer",
                "claims", "{\"name\":\"New Comer\",\"email\":\"newcomer@surge.test\"}"), Map.of());
        assertThat(registered.statusCode()).isEqualTo(302);
        HttpResponse<String> landed = browser.get(Browser.location(registered));
        assertThat(landed.statusCode()).isEqualTo(302);
        assertThat(Browser.location(landed)).doesNotContain("login=failed");
        assertThat(browser.get(gateway("/api/session")).body()).contains("\"authenticated\":true",
                "\"subject\":\"newcomer\"", "New Comer");

        Map<String, String> signIn = UriComponentsBuilder.fromUriString(Browser.location(
                new Browser().get(gateway("/oauth2/authorization/surge")))).build().getQueryParams().toSingleValueMap();
        assertThat(signIn).as("a plain sign-in asks for no sign-up").doesNotContainKey("prompt");
    }

    @Test
    void aShopperSessionIsForbiddenOpsPathsAndAnOpsSessionIsNot() {
        signIn("carol", "{}");
        assertThat(browser.get(gateway("/api/ops/streams")).statusCode()).isEqualTo(403);
        assertThat(browser.get(gateway("/api/admin/products")).statusCode()).isEqualTo(403);
        assertThat(SERVICES.received()).isEmpty();

        browser = new Browser();
        signIn("olga", "{\"roles\":[\"ops\"]}");
        assertThat(browser.get(gateway("/api/ops/streams")).statusCode()).isEqualTo(200);
        assertThat(browser.get(gateway("/api/session")).body()).contains("\"roles\":[\"ops\"]");
    }

    @Test
    void aForgedCallbackStateFailsTheSignIn() {
        browser.get(gateway("/oauth2/authorization/surge"));
        HttpResponse<String> forged = browser.get(gateway("/login/oauth2/code/surge?code=stolen&state=forged"));
        assertThat(forged.statusCode()).isEqualTo(302);
        assertThat(Browser.location(forged)).contains("login=failed");
        assertThat(browser.get(gateway("/api/users/me")).statusCode()).isEqualTo(401);
    }

    @Test
    void signingOutEndsTheGatewaySessionAndTheProviders() {
        signIn("dave", "{}");
        browser.get(gateway("/api/session"));
        String session = browser.cookie(gateway("/"), SESSION);
        String csrf = browser.cookie(gateway("/"), "XSRF-TOKEN");

        HttpResponse<String> logout = browser.postForm(gateway("/logout"), Map.of(), Map.of("X-XSRF-TOKEN", csrf));
        assertThat(logout.statusCode()).isEqualTo(302);
        String endSession = Browser.location(logout);
        Map<String, String> query = UriComponentsBuilder.fromUriString(endSession).build().getQueryParams().toSingleValueMap();
        assertThat(endSession).startsWith(PROVIDER.issuerUri());
        assertThat(query).containsEntry("client_id", "surge-web").containsKey("post_logout_redirect_uri")
                .doesNotContainKey("id_token_hint");
        assertThat(endSession).as("no token in the browser's address bar").doesNotContain("eyJ");
        assertThat(redis.hasKey(redisPrefix + "session:sessions:" + session).block(Duration.ofSeconds(5))).isFalse();

        HttpResponse<String> provider = browser.get(endSession);
        assertThat(provider.statusCode()).as("the provider ends its session and sends the browser back").isEqualTo(302);
        assertThat(Browser.location(provider)).isEqualTo(gateway("/"));

        // the old cookie is worth nothing now, even replayed by hand
        Browser replay = new Browser();
        replay.setCookie(gateway("/"), SESSION, session);
        assertThat(replay.get(gateway("/api/users/me")).statusCode()).isEqualTo(401);
    }

    @Test
    void aRefreshTheProviderRefusesSignsTheShopperOut() {
        signIn("gina", "{}");
        assertThat(browser.get(gateway("/api/users/me")).statusCode()).isEqualTo(200);
        SERVICES.forget();

        // the refresh token was revoked at the provider (or rotated away by another instance)
        PROVIDER.refuseNextTokenRequest();
        HttpResponse<String> refused = browser.get(gateway("/api/users/me"));
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.body()).contains("https://surge.dev/problems/unauthorized", "sign in again");
        assertThat(SERVICES.received()).as("nothing relayed without a token").isEmpty();
        assertThat(browser.get(gateway("/api/session")).body()).as("the app sees signed out")
                .contains("\"authenticated\":false");
    }

    @Test
    void aLogoutWithoutTheCsrfTokenIsRefused() {
        signIn("erin", "{}");
        HttpResponse<String> logout = browser.postForm(gateway("/logout"), Map.of(), Map.of());
        assertThat(logout.statusCode()).isEqualTo(403);
        assertThat(browser.get(gateway("/api/users/me")).statusCode()).as("still signed in").isEqualTo(200);
    }

    private void signIn(String user, String claims) {
        HttpResponse<String> landed = browser.signIn(gateway(""), user, claims);
        assertThat(landed.statusCode()).isEqualTo(302);
        assertThat(Browser.location(landed)).doesNotContain("login=failed");
    }

    private String gateway(String path) {
        return "http://127.0.0.1:" + port + path;
    }
}
