package dev.surge.testsupport;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import no.nav.security.mock.oauth2.MockOAuth2Server;

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

    private IdentityProvider(MockOAuth2Server server) {
        this.server = server;
    }

    static IdentityProvider start() {
        MockOAuth2Server server = new MockOAuth2Server();
        server.start(InetAddress.getLoopbackAddress(), 0);
        Runtime.getRuntime().addShutdownHook(new Thread(server::shutdown, "identity-provider-stop"));
        return new IdentityProvider(server);
    }

    public String issuerUri() {
        return server.issuerUrl(ISSUER_ID).toString();
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
}
