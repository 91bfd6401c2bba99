package dev.surge.gateway.security;

import java.text.ParseException;
import java.time.Duration;

import org.springframework.security.oauth2.client.OAuth2AuthorizationContext;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.ReactiveOAuth2AuthorizedClientProvider;
import org.springframework.security.oauth2.client.RefreshTokenReactiveOAuth2AuthorizedClientProvider;

import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTParser;

import reactor.core.publisher.Mono;

/**
 * Some providers (mock-oauth2-server in dev and tests, older Keycloak) copy the sign-in's
 * {@code nonce} into the access token they issue with the ID token. The services refuse any token
 * with a {@code nonce}, because that is how they tell an ID token from an access token
 * (service-support TokenValidation), so such an access token is never relayed: it is refreshed
 * first, whatever its expiry, and the refreshed token carries no nonce. A token that is not a JWT,
 * or carries no nonce, is left to the usual refresh-before-expiry.
 */
final class RefreshNonceCarryingTokens implements ReactiveOAuth2AuthorizedClientProvider {

    /** Longer than any access token lives: the refresh provider then takes the token as due. */
    private static final Duration ALWAYS = Duration.ofDays(3650);

    private final RefreshTokenReactiveOAuth2AuthorizedClientProvider refresh =
            new RefreshTokenReactiveOAuth2AuthorizedClientProvider();

    RefreshNonceCarryingTokens() {
        refresh.setClockSkew(ALWAYS);
    }

    @Override
    public Mono<OAuth2AuthorizedClient> authorize(OAuth2AuthorizationContext context) {
        OAuth2AuthorizedClient client = context.getAuthorizedClient();
        if (client == null || client.getRefreshToken() == null || !carriesNonce(client.getAccessToken().getTokenValue())) {
            return Mono.empty();
        }
        return refresh.authorize(context);
    }

    static boolean carriesNonce(String token) {
        try {
            JWT jwt = JWTParser.parse(token);
            return jwt.getJWTClaimsSet().getClaim("nonce") != null;
        }
        catch (ParseException notAJwt) {
            return false;
        }
    }
}
