package dev.surge.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;

import dev.surge.testsupport.IdentityProvider;
import dev.surge.testsupport.Infrastructure;
import dev.surge.testsupport.IntegrationTest;

/**
 * API clients at the gateway: a bearer JWT checked against the real provider's keys. Every bad
 * token is a 401 problem that never reaches a service; a valid one is relayed unchanged; roles
 * decide the ops and admin paths.
 */
@IntegrationTest(database = false, kafka = false)
class BearerTokenIT {

    private static final EchoService SERVICES = new EchoService();
    private static final IdentityProvider PROVIDER = Infrastructure.identityProvider();

    @Autowired
    WebTestClient http;

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

    @BeforeEach
    void forget() {
        SERVICES.forget();
    }

    static Stream<Arguments> badTokens() throws Exception {
        RSAKey stranger = new RSAKeyGenerator(2048).keyID("surge").generate();
        RSAKey unknownKid = new RSAKeyGenerator(2048).keyID("rotated-away").generate();
        Instant now = Instant.now();
        return Stream.of(
                Arguments.of("missing", (Function<String, String>) valid -> null),
                Arguments.of("empty", (Function<String, String>) valid -> ""),
                Arguments.of("malformed base64", (Function<String, String>) valid -> "eyJhbGciOi%%%.@@@.###"),
                Arguments.of("not three parts", (Function<String, String>) valid -> "abc.def"),
                Arguments.of("alg none", (Function<String, String>) valid ->
                        new PlainJWT(PROVIDER.claims("alice").build()).serialize()),
                Arguments.of("alg none with a signature part", (Function<String, String>) valid -> {
                    String[] parts = valid.split("\\.");
                    String none = Base64.getUrlEncoder().withoutPadding()
                            .encodeToString("{\"alg\":\"none\",\"kid\":\"surge\"}".getBytes(StandardCharsets.UTF_8));
                    return none + "." + parts[1] + "." + parts[2];
                }),
                Arguments.of("HS256 signed with the RSA public key", (Function<String, String>) valid ->
                        hmacWithPublicKey(PROVIDER.claims("alice").build())),
                Arguments.of("forged signature", (Function<String, String>) valid ->
                        signWith(stranger, PROVIDER.claims("alice").build())),
                Arguments.of("payload swapped", (Function<String, String>) valid -> {
                    String[] parts = valid.split("\\.");
                    String other = Base64.getUrlEncoder().withoutPadding().encodeToString(
                            PROVIDER.claims("mallory").build().toString().getBytes(StandardCharsets.UTF_8));
                    return parts[0] + "." + other + "." + parts[2];
                }),
                Arguments.of("unknown kid", (Function<String, String>) valid ->
                        signWith(unknownKid, PROVIDER.claims("alice").build())),
                Arguments.of("expired", (Function<String, String>) valid -> PROVIDER.sign(PROVIDER.claims("alice")
                        .issueTime(Date.from(now.minusSeconds(7200)))
                        .notBeforeTime(Date.from(now.minusSeconds(7200)))
                        .expirationTime(Date.from(now.minusSeconds(120))).build())),
                Arguments.of("not yet valid", (Function<String, String>) valid -> PROVIDER.sign(PROVIDER.claims("alice")
                        .notBeforeTime(Date.from(now.plusSeconds(600))).build())),
                Arguments.of("no expiry", (Function<String, String>) valid -> PROVIDER.sign(PROVIDER.claims("alice")
                        .expirationTime(null).build())),
                Arguments.of("wrong issuer", (Function<String, String>) valid -> PROVIDER.sign(PROVIDER.claims("alice")
                        .issuer("http://127.0.0.1:1/other").build())),
                Arguments.of("wrong audience", (Function<String, String>) valid -> PROVIDER.sign(PROVIDER.claims("alice")
                        .audience("another-api").build())),
                Arguments.of("100 KB token", (Function<String, String>) valid -> valid + "A".repeat(100 * 1024)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badTokens")
    void aBadTokenIsA401ProblemAndReachesNoService(String attack, Function<String, String> forge) {
        String token = forge.apply(PROVIDER.shopperToken("alice"));
        WebTestClient.RequestHeadersSpec<?> request = http.get().uri("/api/users/me");
        if (token != null) {
            request = request.header(HttpHeaders.AUTHORIZATION, "Bearer " + token);
        }
        request.exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader().value(HttpHeaders.WWW_AUTHENTICATE, value -> assertThat(value).startsWith("Bearer"))
                .expectBody()
                .jsonPath("$.type").isEqualTo("https://surge.dev/problems/unauthorized")
                .jsonPath("$.status").isEqualTo(401);
        assertThat(SERVICES.received()).as(attack + " reached a service").isEmpty();
    }

    @Test
    void aValidTokenIsRelayedUnchanged() {
        String token = PROVIDER.shopperToken("alice");
        http.get().uri("/api/users/me")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .exchange()
                .expectStatus().isOk();
        assertThat(SERVICES.last().authorization()).isEqualTo("Bearer " + token);
    }

    @Test
    void aStateChangingApiCallNeedsNoCsrfToken() {
        // nothing a browser sends by itself: a bearer token is not ambient, so there is no request to forge
        http.post().uri("/api/users/me/addresses")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + PROVIDER.shopperToken("alice"))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{}")
                .exchange()
                .expectStatus().isOk();
        assertThat(SERVICES.last().method()).isEqualTo("POST");
    }

    @Test
    void aShopperIsForbiddenOpsAndAdminPaths() {
        String shopper = PROVIDER.shopperToken("alice");
        for (String path : List.of("/api/ops/streams", "/api/admin/products", "/api/admin/inventory/SKU-1")) {
            http.get().uri(path)
                    .header(HttpHeaders.AUTHORIZATION, "Bearer " + shopper)
                    .exchange()
                    .expectStatus().isForbidden()
                    .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody()
                    .jsonPath("$.type").isEqualTo("https://surge.dev/problems/forbidden");
        }
        http.delete().uri("/api/admin/products/SKU-1")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + shopper)
                .exchange()
                .expectStatus().isForbidden();
        assertThat(SERVICES.received()).isEmpty();
    }

    @Test
    void theOpsRoleOpensOpsAndAdminPaths() {
        String ops = PROVIDER.opsToken("olga");
        http.get().uri("/api/ops/streams").header(HttpHeaders.AUTHORIZATION, "Bearer " + ops)
                .exchange().expectStatus().isOk();
        http.get().uri("/api/admin/products").header(HttpHeaders.AUTHORIZATION, "Bearer " + ops)
                .exchange().expectStatus().isOk();
        assertThat(SERVICES.received()).hasSize(2);
    }

    @Test
    void browsingTheCatalogNeedsNoTokenAndStartsNoSession() {
        http.get().uri("/api/products/SKU-1").exchange().expectStatus().isOk()
                .expectHeader().doesNotExist(HttpHeaders.SET_COOKIE);
        http.get().uri("/api/categories").exchange().expectStatus().isOk();
        http.get().uri("/api/products/search?q=phone").exchange().expectStatus().isOk();
        // a flash sale's start and status show on the product page; its queue is for a signed-in shopper
        http.get().uri("/api/flash-sales/SKU-1").exchange().expectStatus().isOk();
        http.get().uri("/api/flash-sales/SKU-1/queue").exchange().expectStatus().isUnauthorized();
        assertThat(SERVICES.received()).hasSize(4).allSatisfy(seen -> assertThat(seen.authorization()).isNull());
    }

    @Test
    void probesAreOpenAndMetricsAreForOps() {
        http.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
        http.get().uri("/actuator/prometheus").exchange().expectStatus().isUnauthorized();
        http.get().uri("/actuator/prometheus")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + PROVIDER.shopperToken("alice"))
                .exchange().expectStatus().isForbidden();
        http.get().uri("/actuator/prometheus")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + PROVIDER.opsToken("olga"))
                .exchange().expectStatus().isOk();
    }

    @Test
    void aBadTokenIsRefusedEvenOnAPublicPath() {
        http.get().uri("/api/products/SKU-1")
                .header(HttpHeaders.AUTHORIZATION, "Bearer not-a-token")
                .exchange()
                .expectStatus().isUnauthorized();
        assertThat(SERVICES.received()).isEmpty();
    }

    @Test
    void everythingElseUnderApiNeedsAUser() {
        for (String path : List.of("/api/users/me", "/api/cart", "/api/orders", "/api/orders/o-1/events")) {
            http.get().uri(path).exchange()
                    .expectStatus().isUnauthorized()
                    .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        }
        http.post().uri("/api/products/SKU-1/reviews").bodyValue("{}").exchange().expectStatus().isUnauthorized();
        assertThat(SERVICES.received()).isEmpty();
    }

    private static String signWith(RSAKey key, JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        }
        catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hmacWithPublicKey(JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("surge").build(), claims);
            jwt.sign(new MACSigner(PROVIDER.publicKey().toRSAPublicKey().getEncoded()));
            return jwt.serialize();
        }
        catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
