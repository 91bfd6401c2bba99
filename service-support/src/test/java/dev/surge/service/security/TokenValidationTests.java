package dev.surge.service.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * Every way a bearer token can be wrong, against real RSA keys served from a real JWKS endpoint
 * on loopback, and the key cache's refetch policy.
 */
class TokenValidationTests {

    private static final String ISSUER = "http://issuer.test/surge";
    private static final Duration SKEW = Duration.ofSeconds(30);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-24T10:00:00Z"));
    private final AtomicInteger jwksRequests = new AtomicInteger();
    private volatile String jwks;
    private volatile boolean jwksDown;
    private final CountDownLatch hangRelease = new CountDownLatch(1);
    private volatile boolean jwksHangs;
    private HttpServer server;
    private RSAKey key;
    private JwkSetCache keys;
    private ReactiveJwtDecoder decoder;

    @BeforeEach
    void start() throws Exception {
        key = new RSAKeyGenerator(2048).keyID("key-1").generate();
        jwks = new JWKSet(key.toPublicJWK()).toString();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/jwks", exchange -> {
            jwksRequests.incrementAndGet();
            if (jwksHangs) {
                try {
                    // a provider that accepts the connection and never answers (released when the test ends)
                    hangRelease.await(10, TimeUnit.SECONDS);
                }
                catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            byte[] body = jwks.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(jwksDown ? 503 : 200, jwksDown ? -1 : body.length);
            if (!jwksDown) {
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        server.start();
        TokenValidationProperties settings = new TokenValidationProperties(SKEW, Duration.ofMinutes(10),
                Duration.ofSeconds(30), Duration.ofSeconds(2), Duration.ofMinutes(5));
        keys = TokenValidation.keys("http://127.0.0.1:" + server.getAddress().getPort() + "/jwks", settings, clock);
        decoder = TokenValidation.decoder(keys, List.of("RS256"), ISSUER, List.of("surge"), settings, clock);
    }

    @AfterEach
    void stop() {
        hangRelease.countDown();
        server.stop(0);
    }

    @Test
    void aValidTokenIsAcceptedAndTheKeysAreFetchedOnce() throws Exception {
        accepted(sign(key, claims()));
        accepted(sign(key, claims()));
        assertThat(jwksRequests).hasValue(1);
        assertThat(keys.loads()).isEqualTo(1);
    }

    @Test
    void anUnsignedTokenIsRefused() {
        refused(new PlainJWT(claims().build()).serialize());
    }

    @Test
    void hmacSignedWithThePublicKeyIsRefused() throws Exception {
        // the classic confusion attack: HS256 keyed with the RSA public key everyone can download
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("key-1").build(), claims().build());
        jwt.sign(new MACSigner(key.toPublicJWK().toRSAPublicKey().getEncoded()));
        refused(jwt.serialize());
    }

    @Test
    void aForgedSignatureIsRefused() throws Exception {
        RSAKey impostor = new RSAKeyGenerator(2048).keyID("key-1").generate();
        refused(sign(impostor, claims()));
        String valid = sign(key, claims());
        String[] parts = valid.split("\\.");
        String otherPayload = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(claims().subject("mallory").build().toString().getBytes(StandardCharsets.UTF_8));
        refused(parts[0] + "." + otherPayload + "." + parts[2]);
    }

    @Test
    void malformedTokensAreRefused() {
        refused("not-a-token");
        refused("e30.%%%.e30");
        refused("eyJhbGciOiJSUzI1NiJ9.bm90IGpzb24.c2ln");
    }

    @Test
    void anUnknownKeyIdRefetchesInTheBackgroundAtMostOncePerInterval() throws Exception {
        accepted(sign(key, claims()));
        RSAKey stranger = new RSAKeyGenerator(2048).keyID("key-unknown").generate();
        refused(sign(stranger, claims()));
        assertThat(jwksRequests).as("keys fetched a moment ago are not refetched").hasValue(1);
        clock.advance(Duration.ofSeconds(31));
        refused(sign(stranger, claims()));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(keys.loads()).isEqualTo(2));
        assertThat(jwksRequests).as("one refetch for the unknown kid").hasValue(2);
        clock.advance(Duration.ofSeconds(5));
        refused(sign(stranger, claims()));
        refused(sign(new RSAKeyGenerator(2048).keyID("key-invented").generate(), claims()));
        assertThat(jwksRequests).as("no refetch within the minimum interval").hasValue(2);
    }

    @Test
    void aRotatedKeyIsFoundByRefetchingInTheBackground() throws Exception {
        accepted(sign(key, claims()));
        RSAKey next = new RSAKeyGenerator(2048).keyID("key-2").generate();
        jwks = new JWKSet(List.of(key.toPublicJWK(), next.toPublicJWK())).toString();
        clock.advance(Duration.ofSeconds(31));
        String signedWithTheNewKey = sign(next, claims());
        refused(signedWithTheNewKey);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(keys.loads()).isEqualTo(2));
        accepted(signedWithTheNewKey);
        assertThat(jwksRequests).hasValue(2);
    }

    @Test
    void keysPastTheirAgeAreRefreshedInTheBackgroundWhileTheHeldOnesServe() throws Exception {
        accepted(sign(key, claims()));
        RSAKey next = new RSAKeyGenerator(2048).keyID("key-2").generate();
        jwks = new JWKSet(List.of(key.toPublicJWK(), next.toPublicJWK())).toString();
        clock.advance(Duration.ofMinutes(9));
        accepted(sign(key, claims()));
        assertThat(jwksRequests).as("not yet due").hasValue(1);
        clock.advance(Duration.ofMinutes(1));
        accepted(sign(key, claims()));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(keys.loads()).isEqualTo(2));
        accepted(sign(next, claims()));
        assertThat(jwksRequests).as("the key published ahead of its use was there before any token named it")
                .hasValue(2);
    }

    @Test
    void heldKeysServeAtOnceWhileTheProviderHangs() throws Exception {
        accepted(sign(key, claims()));
        jwksHangs = true;
        clock.advance(Duration.ofMinutes(11));
        for (int i = 0; i < 5; i++) {
            // well under the 2 s fetch timeout: no request waits for the provider
            StepVerifier.create(decoder.decode(sign(key, claims())))
                    .expectNextCount(1)
                    .expectComplete()
                    .verify(Duration.ofMillis(500));
        }
        // the refresh runs in the background: it reaches the provider a moment later, and stays the only one
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(jwksRequests).as("one refresh under way, not one per request").hasValue(2));
    }

    @Test
    void heldKeysStayInUseWhileTheProviderIsDown() throws Exception {
        accepted(sign(key, claims()));
        jwksDown = true;
        clock.advance(Duration.ofMinutes(11));
        accepted(sign(key, claims()));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(jwksRequests).hasValue(2));
        clock.advance(Duration.ofSeconds(31));
        accepted(sign(key, claims()));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(jwksRequests).hasValue(3));
        assertThat(keys.loads()).as("still the first set").isEqualTo(1);
    }

    @Test
    void anIdTokenIsRefusedAsABearerToken() throws Exception {
        refused(sign(key, claims().claim("nonce", "n-0S6_WzA2Mj")));
        refused(sign(key, JOSEObjectType.JWT, claims().claim("nonce", "")));
    }

    @Test
    void onlyAccessTokenTypesPass() throws Exception {
        accepted(sign(key, new JOSEObjectType("at+jwt"), claims()));
        accepted(sign(key, new JOSEObjectType("application/at+jwt"), claims()));
        accepted(sign(key, new JOSEObjectType("AT+JWT"), claims()));
        accepted(sign(key, JOSEObjectType.JWT, claims()));
        accepted(sign(key, null, claims()));
        refused(sign(key, new JOSEObjectType("id_token+jwt"), claims()));
        refused(sign(key, new JOSEObjectType("logout+jwt"), claims()));
        refused(sign(key, JOSEObjectType.JOSE, claims()));
    }

    @Test
    void expiryAndNotBeforeAreCheckedWithASmallSkew() throws Exception {
        Instant now = clock.instant();
        refused(sign(key, claims().expirationTime(Date.from(now.minusSeconds(31)))));
        accepted(sign(key, claims().issueTime(Date.from(now.minusSeconds(300))).expirationTime(Date.from(now.minusSeconds(10)))));
        refused(sign(key, claims().notBeforeTime(Date.from(now.plusSeconds(60)))));
        accepted(sign(key, claims().notBeforeTime(Date.from(now.plusSeconds(10)))));
        refused(sign(key, claims().expirationTime(null)));
    }

    @Test
    void issuerAndAudienceMustMatch() throws Exception {
        refused(sign(key, claims().issuer("http://elsewhere.test/surge")));
        refused(sign(key, claims().audience("another-api")));
        refused(sign(key, claims().audience((String) null)));
        accepted(sign(key, claims().audience(List.of("another-api", "surge"))));
    }

    @Test
    void aTokenWithoutSubjectIsRefused() throws Exception {
        refused(sign(key, claims().subject(null)));
    }

    @Test
    void withNoKeyHeldAFailedFetchIsTriedAgainASecondLaterNotAfterTheInterval() throws Exception {
        // the provider does not answer the first fetch (down, or too slow under load): nothing to check against
        jwksDown = true;
        refused(sign(key, claims()));
        refused(sign(key, claims()));
        assertThat(jwksRequests).as("one fetch a second at most").hasValue(1);
        jwksDown = false;
        clock.advance(Duration.ofSeconds(1));
        // well within the 30 s between refreshes: the next request fetches again, and passes
        accepted(sign(key, claims()));
        assertThat(jwksRequests).hasValue(2);
        assertThat(keys.loads()).isEqualTo(1);
        // keys held: the 30 s interval holds again, an unknown kid a second later fetches nothing
        clock.advance(Duration.ofSeconds(1));
        refused(sign(new RSAKeyGenerator(2048).keyID("key-x").generate(), claims()));
        assertThat(jwksRequests).hasValue(2);
    }

    @Test
    void warmedKeysServeTheFirstRequestWithoutAFetch() throws Exception {
        StepVerifier.create(keys.warm()).verifyComplete();
        assertThat(keys.loads()).isEqualTo(1);
        jwksHangs = true;
        StepVerifier.create(decoder.decode(sign(key, claims())))
                .expectNextCount(1)
                .expectComplete()
                .verify(Duration.ofMillis(500));
        StepVerifier.create(keys.warm()).verifyComplete();
        assertThat(jwksRequests).as("held keys are not fetched again").hasValue(1);
    }

    @Test
    void requestsArrivingDuringTheFirstFetchWaitForIt() throws Exception {
        String token = sign(key, claims());
        List<Jwt> decoded = Flux.range(0, 20)
                .flatMap(i -> decoder.decode(token))
                .collectList()
                .block(Duration.ofSeconds(10));
        assertThat(decoded).hasSize(20);
        assertThat(jwksRequests).as("one fetch shared by all").hasValue(1);
    }

    @Test
    void anIncompleteConfigurationIsRefusedAtStartUp() {
        TokenValidationProperties settings = new TokenValidationProperties(null, null, null, null, null);
        assertThatThrownBy(() -> TokenValidation.decoder(keys, List.of("RS256", "PS256"), ISSUER, List.of("surge"),
                settings, clock)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TokenValidation.decoder(keys, List.of("RS256"), null, List.of("surge"), settings, clock))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TokenValidation.decoder(keys, List.of("RS256"), ISSUER, List.of(), settings, clock))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TokenValidation.decoder(keys, List.of("HS256"), ISSUER, List.of("surge"), settings, clock))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anOverLongAuthorizationHeaderIsRefusedBeforeParsing() {
        String huge = "Bearer " + "a".repeat(100 * 1024);
        MockServerWebExchange exchange = MockServerWebExchange.from(
                MockServerHttpRequest.get("/api/users/me").header("Authorization", huge));
        StepVerifier.create(new BoundedBearerTokenConverter().convert(exchange))
                .expectError(OAuth2AuthenticationException.class)
                .verify(Duration.ofSeconds(5));
    }

    @Test
    void aRememberedTokenStillExpires() throws Exception {
        String token = sign(key, claims().expirationTime(Date.from(clock.instant().plusSeconds(60))));
        accepted(token);
        accepted(token);
        clock.advance(Duration.ofSeconds(95));
        refused(token);
    }

    @Test
    void onlyTheExactTextOfAVerifiedTokenIsRemembered() throws Exception {
        String token = sign(key, claims());
        accepted(token);
        String[] parts = token.split("\\.");
        String otherSignature = parts[2].substring(0, parts[2].length() - 4)
                + (parts[2].endsWith("AAAA") ? "BBBB" : "AAAA");
        refused(parts[0] + "." + parts[1] + "." + otherSignature);
        String otherPayload = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(claims().subject("mallory").build().toString().getBytes(StandardCharsets.UTF_8));
        refused(parts[0] + "." + otherPayload + "." + parts[2]);
    }

    @Test
    void theBearerHeaderIsParsedStrictly() {
        assertThat(BoundedBearerTokenConverter.isToken("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhIn0.c2ln")).isTrue();
        assertThat(BoundedBearerTokenConverter.isToken("abc+/~_-.==")).isTrue();
        assertThat(BoundedBearerTokenConverter.isToken("")).isFalse();
        assertThat(BoundedBearerTokenConverter.isToken("==")).isFalse();
        assertThat(BoundedBearerTokenConverter.isToken("abc def")).isFalse();
        assertThat(BoundedBearerTokenConverter.isToken("abc=def")).isFalse();
        assertThat(BoundedBearerTokenConverter.isToken("a%2Fb")).isFalse();

        StepVerifier.create(convert("Bearer abc.def.ghi"))
                .assertNext(auth -> assertThat(auth.getCredentials()).isEqualTo("abc.def.ghi"))
                .verifyComplete();
        StepVerifier.create(convert("bearer abc.def.ghi")).expectNextCount(1).verifyComplete();
        StepVerifier.create(convert("Basic YWxpY2U6eA==")).verifyComplete();
        StepVerifier.create(convert("Bearer ")).expectError(OAuth2AuthenticationException.class).verify(Duration.ofSeconds(5));
        StepVerifier.create(convert("Bearer")).expectError(OAuth2AuthenticationException.class).verify(Duration.ofSeconds(5));
        StepVerifier.create(convert("Bearer  abc")).expectError(OAuth2AuthenticationException.class).verify(Duration.ofSeconds(5));
        StepVerifier.create(convert("Bearer abc def")).expectError(OAuth2AuthenticationException.class).verify(Duration.ofSeconds(5));
        StepVerifier.create(convert("Bearerabc")).expectError(OAuth2AuthenticationException.class).verify(Duration.ofSeconds(5));
        StepVerifier.create(new BoundedBearerTokenConverter().convert(MockServerWebExchange.from(
                        MockServerHttpRequest.get("/").header("Authorization", "Bearer a", "Bearer b"))))
                .expectError(OAuth2AuthenticationException.class).verify(Duration.ofSeconds(5));
        StepVerifier.create(new BoundedBearerTokenConverter().convert(MockServerWebExchange.from(
                MockServerHttpRequest.get("/?access_token=abc.def.ghi")))).verifyComplete();
    }

    private static Mono<org.springframework.security.core.Authentication> convert(String header) {
        return new BoundedBearerTokenConverter().convert(MockServerWebExchange.from(
                MockServerHttpRequest.get("/api/users/me").header("Authorization", header)));
    }

    private JWTClaimsSet.Builder claims() {
        Instant now = clock.instant();
        return new JWTClaimsSet.Builder().issuer(ISSUER).subject("alice").audience("surge")
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(300)));
    }

    private static String sign(RSAKey signingKey, JWTClaimsSet.Builder claims) throws Exception {
        return sign(signingKey, JOSEObjectType.JWT, claims);
    }

    private static String sign(RSAKey signingKey, JOSEObjectType type, JWTClaimsSet.Builder claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(signingKey.getKeyID())
                .type(type).build(), claims.build());
        jwt.sign(new RSASSASigner(signingKey));
        return jwt.serialize();
    }

    private void accepted(String token) {
        StepVerifier.create(decoder.decode(token))
                .assertNext(jwt -> assertThat(jwt.getSubject()).isNotBlank())
                .verifyComplete();
    }

    private void refused(String token) {
        assertThatThrownBy(() -> decoder.decode(token).block(Duration.ofSeconds(5)))
                .isInstanceOf(JwtException.class);
    }
}
