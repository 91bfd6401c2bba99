package dev.surge.service.security;

import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * One way to check a bearer JWT, the same at the gateway and in every service: the signature
 * against the provider's keys ({@link JwkSetCache}), only the algorithms on the allow-list (never
 * {@code none}, never an HMAC that could be keyed with the public key), the issuer, the audience,
 * and {@code exp} (required) and {@code nbf} with a small clock skew.
 *
 * <p>Only access tokens pass. An OpenID Connect ID token is signed by the same provider with the
 * same key, and where its audience overlaps the API's (the dev and test providers put the API
 * audience on every token) it would otherwise pass as a bearer token. Refused: a token with a
 * {@code nonce} claim (the sign-in's replay guard, which belongs in ID tokens, OpenID Connect Core
 * §2; RFC 9068 access tokens have none), and a token whose {@code typ} header is anything but
 * {@code at+jwt} (RFC 9068 §2.1), {@code application/at+jwt} or {@code JWT} (what most providers
 * put on access tokens); a token without {@code typ} passes.
 */
public final class TokenValidation {

    /** The {@code typ} headers of an access token, in lower case; an absent one passes too. */
    private static final Set<String> ACCESS_TOKEN_TYPES = Set.of("at+jwt", "application/at+jwt", "jwt");

    /** At most this many verified tokens are remembered (a few KB each). */
    static final int REMEMBERED_TOKENS = 4096;

    private TokenValidation() {
    }

    public static ReactiveJwtDecoder decoder(JwkSetCache keys, Collection<String> algorithms, String issuer,
            Collection<String> audiences, TokenValidationProperties settings, Clock clock) {
        // the builder keeps one algorithm only: say so rather than silently accept fewer than configured
        if (algorithms == null || algorithms.size() != 1) {
            throw new IllegalArgumentException("exactly one token signature algorithm is supported, got " + algorithms);
        }
        if (issuer == null || issuer.isBlank() || audiences == null || audiences.isEmpty()) {
            throw new IllegalArgumentException("tokens need an issuer and an audience to check: set "
                    + "spring.security.oauth2.resourceserver.jwt.issuer-uri and .audiences");
        }
        String algorithm = algorithms.iterator().next();
        SignatureAlgorithm allowed = SignatureAlgorithm.from(algorithm);
        if (allowed == null) {
            throw new IllegalArgumentException("not an asymmetric signature algorithm: " + algorithm);
        }
        NimbusReactiveJwtDecoder.JwkSourceReactiveJwtDecoderBuilder builder = NimbusReactiveJwtDecoder.withJwkSource(keys)
                .jwsAlgorithm(allowed)
                // the type is checked with the claims (accessTokensOnly), not by Nimbus's JWT-only default
                .validateType(false);
        NimbusReactiveJwtDecoder decoder = builder.build();
        decoder.setJwtValidator(validator(issuer, audiences, settings, clock));
        if (settings.rememberVerified().isZero()) {
            return decoder;
        }
        return new RememberedTokens(decoder, timestamps(settings, clock), settings.rememberVerified(),
                REMEMBERED_TOKENS, clock);
    }

    public static JwkSetCache keys(String jwkSetUri, TokenValidationProperties settings, Clock clock) {
        return new JwkSetCache(WebClient.create(), URI.create(jwkSetUri), settings.jwksMaxAge(),
                settings.jwksMinRefreshInterval(), settings.jwksTimeout(), clock);
    }

    static OAuth2TokenValidator<Jwt> validator(String issuer, Collection<String> audiences,
            TokenValidationProperties settings, Clock clock) {
        List<OAuth2TokenValidator<Jwt>> checks = new ArrayList<>();
        checks.add(timestamps(settings, clock));
        checks.add(new JwtIssuerValidator(issuer));
        List<String> accepted = List.copyOf(audiences);
        checks.add(new JwtClaimValidator<List<String>>(JwtClaimNames.AUD,
                audience -> audience != null && audience.stream().anyMatch(accepted::contains)));
        // every service takes the user id from sub: a token without one is no user's
        checks.add(new JwtClaimValidator<String>(JwtClaimNames.SUB, subject -> subject != null && !subject.isBlank()));
        checks.add(accessTokensOnly());
        return new DelegatingOAuth2TokenValidator<>(checks);
    }

    /** Refuses ID tokens and other JWTs that are not access tokens (see the class comment). */
    static OAuth2TokenValidator<Jwt> accessTokensOnly() {
        OAuth2TokenValidator<Jwt> noNonce = new JwtClaimValidator<Object>("nonce", Objects::isNull);
        return jwt -> {
            Object type = jwt.getHeaders().get("typ");
            if (type != null && !ACCESS_TOKEN_TYPES.contains(type.toString().toLowerCase(Locale.ROOT))) {
                return OAuth2TokenValidatorResult.failure(new OAuth2Error(OAuth2ErrorCodes.INVALID_TOKEN,
                        "The token is not an access token (typ " + type + ")", null));
            }
            return noNonce.validate(jwt);
        };
    }

    private static OAuth2TokenValidator<Jwt> timestamps(TokenValidationProperties settings, Clock clock) {
        JwtTimestampValidator time = new JwtTimestampValidator(settings.clockSkew());
        time.setAllowEmptyExpiryClaim(false);
        time.setClock(clock);
        return time;
    }
}
