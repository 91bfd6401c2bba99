package dev.surge.testsupport;

import java.net.InetAddress;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.TokenRequest;

import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Exception;
import no.nav.security.mock.oauth2.token.OAuth2TokenCallback;
import no.nav.security.mock.oauth2.OAuth2Config;

/**
 * A real OpenID Connect provider for tests (mock-oauth2-server, in this JVM): discovery, JWKS and
 * RS256-signed tokens, with the issuer id {@value #ISSUER_ID} and audience {@value #AUDIENCE} the
 * services expect.
 */
public final class IdentityProvider {

    public static final String ISSUER_ID = "surge";
    public static final String AUDIENCE = "surge";
    private static final long ONE_HOUR = 3600;

    private final MockOAuth2Server server;

    private final RSAKey signingKey;

    private IdentityProvider(MockOAuth2Server server, RSAKey signingKey) {
        this.server = server;
        this.signingKey = signingKey;
    }

    /**
     * Interactive login (a form at the authorize endpoint taking {@code username} and a JSON
     * {@code claims}), and every token from the token endpoint audience-scoped to the services and
     * to the client that asked, as the dev provider's {@code dev/oauth/config.json} does.
     */
    private static final String CONFIG = """
            {
              "interactiveLogin": true,
              "tokenProvider": { "keyProvider": { "initialKeys": %s, "algorithm": "RS256" } },
              "tokenCallbacks": [
                {
                  "issuerId": "surge",
                  "tokenExpiry": 3600,
                  "requestMappings": [
                    { "requestParam": "grant_type", "match": "*",
                      "claims": { "aud": ["surge", "${client_id}"], "azp": "${client_id}" } }
                  ]
                }
              ]
            }
            """;

    static IdentityProvider start() {
        RSAKey signingKey = generateKey();
        // the provider signs with a key this class holds too, so tests can sign tokens it would never issue
        String config = CONFIG.formatted(quote(signingKey.toJSONString()));
        MockOAuth2Server server = new MockOAuth2Server(OAuth2Config.Companion.fromJson(config));
        server.start(InetAddress.getLoopbackAddress(), 0);
        Runtime.getRuntime().addShutdownHook(new Thread(server::shutdown, "identity-provider-stop"));
        return new IdentityProvider(server, signingKey);
    }

    private static RSAKey generateKey() {
        try {
            return new RSAKeyGenerator(2048).generate();
        }
        catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String quote(String json) {
        return "\"" + json.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    public String issuerUri() {
        return server.issuerUrl(ISSUER_ID).toString();
    }

    /** The provider's base URL, e.g. for the authorize endpoint a browser is sent to. */
    public String baseUrl() {
        return server.baseUrl().toString();
    }

    public String jwksUri() {
        return server.jwksUrl(ISSUER_ID).toString();
    }

    /** A shopper's access token. */
    public String shopperToken(String subject) {
        return token(subject, Map.of());
    }

    /** An access token carrying the ops role. */
    public String opsToken(String subject) {
        return token(subject, Map.of("roles", List.of("ops")));
    }

    /** An access token for the subject with extra claims, valid for an hour. */
    public String token(String subject, Map<String, Object> claims) {
        Map<String, Object> all = new HashMap<>(claims);
        all.putIfAbsent("email", subject + "@surge.test");
        return server.issueToken(ISSUER_ID, subject, AUDIENCE, all, ONE_HOUR).serialize();
    }

    /** Claims of a valid access token for the subject: issuer, audience, an hour's lifetime. */
    public JWTClaimsSet.Builder claims(String subject) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().issuer(issuerUri()).subject(subject).audience(AUDIENCE)
                .issueTime(Date.from(now)).notBeforeTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(ONE_HOUR)))
                .jwtID(UUID.randomUUID().toString());
    }

    /**
     * Any claims, RS256-signed with the provider's own key and key id: how a test makes a token that
     * is genuinely signed but wrong in another way (expired, other issuer, other audience).
     */
    public String sign(JWTClaimsSet claims) {
        JWK published = server.getConfig().getTokenProvider().publicJwkSet(ISSUER_ID).getKeys().getFirst();
        try {
            if (!published.toRSAKey().getModulus().equals(signingKey.getModulus())) {
                throw new IllegalStateException("the provider does not sign with the key this class holds");
            }
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(published.getKeyID())
                    .type(JOSEObjectType.JWT).build(), claims);
            jwt.sign(new RSASSASigner(signingKey));
            return jwt.serialize();
        }
        catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The provider's next token request (a refresh, say) is refused with {@code invalid_grant},
     * as a revoked or rotated-away refresh token is; later ones are served normally again.
     */
    public void refuseNextTokenRequest() {
        server.enqueueCallback(new OAuth2TokenCallback() {
            @Override
            public String issuerId() {
                return ISSUER_ID;
            }

            @Override
            public String subject(TokenRequest request) {
                throw new OAuth2Exception(OAuth2Error.INVALID_GRANT, "the refresh token is no longer valid");
            }

            @Override
            public String typeHeader(TokenRequest request) {
                return "JWT";
            }

            @Override
            public List<String> audience(TokenRequest request) {
                return List.of(AUDIENCE);
            }

            @Override
            public Map<String, Object> addClaims(TokenRequest request) {
                return Map.of();
            }

            @Override
            public long tokenExpiry() {
                return ONE_HOUR;
            }
        });
    }

    /** The public half of the provider's signing key, as anyone can read it from the JWKS. */
    public RSAKey publicKey() {
        return signingKey.toPublicJWK();
    }
}
