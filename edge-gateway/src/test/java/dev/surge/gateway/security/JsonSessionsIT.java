package dev.surge.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.surge.gateway.GatewayApplication;
import dev.surge.testsupport.Browser;
import dev.surge.testsupport.IntegrationTest;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a browser session looks like in Redis: JSON naming only allow-listed classes, for the
 * pending sign-in as for the signed-in shopper with their tokens; a gateway started afresh reads
 * the sessions an earlier one wrote, so a restart or an upgrade signs nobody out. And the tokens
 * of a real sign-in, as the session holds them: the ID token is no bearer token, the relayed
 * access token is.
 */
@IntegrationTest(database = false, kafka = false)
class JsonSessionsIT {

    private static final EchoService SERVICES = new EchoService();
    private static final String SESSION = "SURGE_SESSION";
    private static final JsonMapper PLAIN_JSON = JsonMapper.builder().build();

    /** What a session may name: Spring Security's types and a few JDK value and collection types. */
    private static final List<String> ALLOWED_PREFIXES = List.of("org.springframework.security.", "java.util.");
    private static final Set<String> ALLOWED_CLASSES = Set.of("java.lang.Long", "java.net.URL", "java.time.Instant");

    @Value("${local.server.port}")
    int port;

    @Value("${surge.redis.key-prefix}")
    String redisPrefix;

    @Autowired
    ReactiveStringRedisTemplate redis;

    @Autowired
    Environment environment;

    @Autowired
    ReactiveJwtDecoder tokens;

    @DynamicPropertySource
    static void upstreams(DynamicPropertyRegistry registry) {
        registry.add("surge.services.catalog", SERVICES::url);
        registry.add("surge.services.cart-order", SERVICES::url);
        registry.add("surge.services.notify", SERVICES::url);
    }

    @AfterAll
    static void stop() {
        SERVICES.close();
    }

    @Test
    void aPendingSignInIsStoredAsAllowListedJson() {
        Browser browser = new Browser();
        browser.get(gateway(port, "/oauth2/authorization/surge"));
        Map<String, String> stored = stored(browser.cookie(gateway(port, "/"), SESSION));

        assertThat(stored).isNotEmpty();
        List<String> classes = namedClasses(stored);
        assertThat(classes).contains("org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest");
        assertThat(classes).allSatisfy(JsonSessionsIT::isAllowed);
    }

    @Test
    void aSignedInSessionIsStoredAsAllowListedJsonWithItsTokens() {
        Browser browser = new Browser();
        assertThat(browser.signIn(gateway(port, ""), "hana", "{\"roles\":[\"ops\"]}").statusCode()).isEqualTo(302);
        relayedOnce(browser);
        Map<String, String> stored = stored(browser.cookie(gateway(port, "/"), SESSION));

        List<String> classes = namedClasses(stored);
        assertThat(classes).contains(
                "org.springframework.security.core.context.SecurityContextImpl",
                "org.springframework.security.oauth2.client.authentication.OAuth2AuthenticationToken",
                "org.springframework.security.oauth2.core.oidc.user.DefaultOidcUser",
                "org.springframework.security.oauth2.client.OAuth2AuthorizedClient");
        assertThat(classes).allSatisfy(JsonSessionsIT::isAllowed);
        assertThat(stored.get("sessionAttr:" + EndOldSessions.SIGNED_IN_AT)).as("the sign-in time, as plain JSON text")
                .startsWith("\"20");
        assertThat(stored.get("creationTime")).as("Spring Session's own fields stay readable").isNotBlank();
    }

    @Test
    void aGatewayStartedAfreshReadsTheSessionsAnEarlierOneWrote() {
        Browser browser = new Browser();
        assertThat(browser.signIn(gateway(port, ""), "ivan", "{\"roles\":[\"ops\"]}").statusCode()).isEqualTo(302);
        relayedOnce(browser);
        String cookie = browser.cookie(gateway(port, "/"), SESSION);

        try (ConfigurableApplicationContext restarted = secondGateway()) {
            int otherPort = restarted.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
            Browser same = new Browser();
            same.setCookie(gateway(otherPort, "/"), SESSION, cookie);
            HttpResponse<String> session = same.get(gateway(otherPort, "/api/session"));
            assertThat(session.body()).contains("\"authenticated\":true", "\"subject\":\"ivan\"", "\"roles\":[\"ops\"]");
            SERVICES.forget();
            assertThat(same.get(gateway(otherPort, "/api/users/me")).statusCode()).isEqualTo(200);
            assertThat(SERVICES.last().authorization()).as("the stored tokens still relay").startsWith("Bearer ey");
        }
    }

    @Test
    void aValuePlantedInRedisNamingAnotherClassIsRefusedNotInstantiated() {
        Browser browser = new Browser();
        assertThat(browser.signIn(gateway(port, ""), "lena", "{}").statusCode()).isEqualTo(302);
        String key = redisPrefix + "session:sessions:" + browser.cookie(gateway(port, "/"), SESSION);
        String planted = "{\"@class\":\"" + JsonSessionValuesTests.Gadget.class.getName() + "\",\"command\":\"id\"}";
        redis.opsForHash().put(key, "sessionAttr:planted", planted).block(Duration.ofSeconds(5));

        SERVICES.forget();
        HttpResponse<String> answer = browser.get(gateway(port, "/api/users/me"));

        assertThat(answer.statusCode()).as("the session cannot be read, so it grants nothing").isNotEqualTo(200);
        assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                assertThat(type).startsWith("application/problem+json"));
        assertThat(SERVICES.received()).isEmpty();
        assertThat(JsonSessionValuesTests.Gadget.INSTANCES).hasValue(0);
    }

    @Test
    void theIdTokenOfARealSignInIsRefusedAsABearerTokenAndTheRelayedAccessTokenIsNot() {
        Browser browser = new Browser();
        assertThat(browser.signIn(gateway(port, ""), "kim", "{}").statusCode()).isEqualTo(302);
        SERVICES.forget();
        relayedOnce(browser);
        String relayed = SERVICES.last().authorization().substring("Bearer ".length());
        Jwt accessToken = tokens.decode(relayed).block(Duration.ofSeconds(5));
        assertThat(accessToken.getSubject()).isEqualTo("kim");
        assertThat(accessToken.hasClaim("nonce"))
                .as("the provider's sign-in access token carried the nonce, so it was refreshed before relaying")
                .isFalse();

        String idToken = idToken(stored(browser.cookie(gateway(port, "/"), SESSION)));
        assertThat(idToken).as("the test provider puts the API audience on ID tokens too").isNotEqualTo(relayed);
        assertThat(SignedClaims.of(idToken)).containsKey("nonce").containsEntry("sub", "kim");
        assertThatThrownBy(() -> tokens.decode(idToken).block(Duration.ofSeconds(5)))
                .isInstanceOf(JwtException.class);

        SERVICES.forget();
        HttpResponse<String> asBearer = new Browser().get(gateway(port, "/api/users/me"),
                Map.of("Authorization", "Bearer " + idToken));
        assertThat(asBearer.statusCode()).isEqualTo(401);
        assertThat(asBearer.body()).contains("https://surge.dev/problems/unauthorized");
        assertThat(SERVICES.received()).as("nothing reached the service").isEmpty();
    }

    /** The ID token inside the stored security context. */
    private static String idToken(Map<String, String> stored) {
        JsonNode context = PLAIN_JSON.readTree(stored.get("sessionAttr:SPRING_SECURITY_CONTEXT"));
        JsonNode idToken = context.findValue("idToken");
        assertThat(idToken).as("the OidcUser keeps its ID token").isNotNull();
        return idToken.get("tokenValue").asString();
    }

    /** A JWT's claims, read without checking anything: what the token says about itself. */
    private static final class SignedClaims {

        static Map<String, Object> of(String jwt) {
            try {
                return com.nimbusds.jwt.SignedJWT.parse(jwt).getJWTClaimsSet().getClaims();
            }
            catch (java.text.ParseException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private void relayedOnce(Browser browser) {
        HttpResponse<String> profile = browser.get(gateway(port, "/api/users/me"));
        assertThat(profile.statusCode()).as(profile.body()).isEqualTo(200);
    }

    /** Another gateway process in all but name: its own context and port, the same Redis, prefix and provider. */
    private ConfigurableApplicationContext secondGateway() {
        // as command-line arguments, which win over application.yml as they would for a real process
        List<String> arguments = new ArrayList<>();
        arguments.add("--server.port=0");
        for (String name : List.of("spring.data.redis.host", "spring.data.redis.port", "surge.redis.key-prefix",
                "spring.security.oauth2.resourceserver.jwt.issuer-uri", "spring.security.oauth2.resourceserver.jwt.jwk-set-uri",
                "surge.services.catalog", "surge.services.cart-order", "surge.services.notify")) {
            arguments.add("--" + name + "=" + environment.getRequiredProperty(name));
        }
        return new SpringApplicationBuilder(GatewayApplication.class).run(arguments.toArray(String[]::new));
    }

    private Map<String, String> stored(String sessionId) {
        assertThat(sessionId).isNotNull();
        return redis.<String, String>opsForHash()
                .entries(redisPrefix + "session:sessions:" + sessionId)
                .collectMap(Map.Entry::getKey, Map.Entry::getValue)
                .block(Duration.ofSeconds(5));
    }

    /** Every class a stored value names, each value parsed as plain JSON (so it must be JSON). */
    private static List<String> namedClasses(Map<String, String> stored) {
        List<String> classes = new ArrayList<>();
        stored.values().forEach(value -> collect(PLAIN_JSON.readTree(value), classes));
        return classes;
    }

    private static void collect(JsonNode node, List<String> classes) {
        if (node.isObject()) {
            JsonNode type = node.get("@class");
            if (type != null && type.isString()) {
                classes.add(type.asString());
            }
            node.values().forEach(child -> collect(child, classes));
        }
        else if (node.isArray()) {
            // a typed scalar or collection: ["java.lang.Long", 1764...] or ["java.util.ArrayList", [...]]
            if (node.size() == 2 && node.get(0).isString() && node.get(0).asString().matches("[a-z]+(\\.[\\w$]+)+")) {
                classes.add(node.get(0).asString());
            }
            node.values().forEach(child -> collect(child, classes));
        }
    }

    private static void isAllowed(String type) {
        assertThat(ALLOWED_CLASSES.contains(type) || ALLOWED_PREFIXES.stream().anyMatch(type::startsWith))
                .as("%s is on the allow-list", type).isTrue();
    }

    private static String gateway(int port, String path) {
        return "http://127.0.0.1:" + port + path;
    }
}
