package dev.surge.notify.web;

import java.time.Instant;
import java.util.regex.Pattern;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.security.oauth2.server.resource.authentication.ReactiveJwtAuthenticationConverter;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

import dev.surge.service.security.BearerTokenSecurity;
import dev.surge.service.security.BoundedBearerTokenConverter;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;

/**
 * Who opens a stream: the bearer token checked here, for the four stream endpoints only, instead of in
 * Spring Security's filter chain. The check is the same (the service's {@link ReactiveJwtDecoder}: JWKS,
 * RS256, issuer, audience, expiry; roles from the configured claim); what differs is what a held stream
 * keeps: the chain's eight filters stay subscribed, with their operators, the security context and three
 * copies of the token, for as long as the stream is open, about a third of a held stream's live heap
 * (README, "Held streams"). Here the token is checked, its subject and expiry kept, and the rest dropped.
 */
@Component
class StreamCallers {

    /** The stream endpoints' paths. */
    private static final Pattern STREAM_PATHS = Pattern.compile("/api/orders/events|/api/orders/[^/]+/events|/api/ops/events|/api/ops/metrics");

    /** The stream endpoints, which the security chain leaves to this class (GET only: any other method stays in the chain). */
    static final ServerWebExchangeMatcher STREAMS = exchange -> stream(exchange.getRequest())
            ? ServerWebExchangeMatcher.MatchResult.match()
            : ServerWebExchangeMatcher.MatchResult.notMatch();

    /** Whether a request opens a stream: {@code GET} of one of the four stream paths. */
    static boolean stream(ServerHttpRequest request) {
        return HttpMethod.GET.equals(request.getMethod()) && STREAM_PATHS.matcher(request.getPath().pathWithinApplication().value()).matches();
    }

    private static final String OPS_AUTHORITY = "ROLE_" + BearerTokenSecurity.OPS_ROLE;

    private final ReactiveJwtDecoder decoder;
    private final ReactiveJwtAuthenticationConverter authorities;
    private final BoundedBearerTokenConverter bearer = new BoundedBearerTokenConverter();

    /** @param authorities Boot's, from {@code spring.security.oauth2.resourceserver.jwt.authorities-claim-name} and prefix */
    StreamCallers(ReactiveJwtDecoder decoder, ReactiveJwtAuthenticationConverter authorities) {
        this.decoder = decoder;
        this.authorities = authorities;
    }

    /** A shopper's (any valid token's) subject and expiry, or {@link Unauthenticated}. */
    Mono<Caller> shopper(ServerWebExchange exchange) {
        return token(exchange).map(Caller::of);
    }

    /** An ops user's subject and expiry, or {@link Unauthenticated}, or {@link Forbidden} without the ops role. */
    Mono<Caller> ops(ServerWebExchange exchange) {
        return token(exchange)
                .flatMap(jwt -> authorities.convert(jwt)
                        .filter(authentication -> authentication.getAuthorities().stream()
                                .anyMatch(authority -> OPS_AUTHORITY.equals(authority.getAuthority())))
                        .switchIfEmpty(Mono.error(Forbidden::new))
                        .thenReturn(Caller.of(jwt)));
    }

    private Mono<Jwt> token(ServerWebExchange exchange) {
        return bearer.convert(exchange)
                .onErrorMap(failure -> new Unauthenticated("invalid_request"))
                .cast(BearerTokenAuthenticationToken.class)
                .switchIfEmpty(Mono.error(() -> new Unauthenticated(null)))
                .flatMap(token -> decoder.decode(token.getToken()))
                .onErrorMap(JwtException.class, invalid -> new Unauthenticated("invalid_token"))
                .doOnNext(checked -> forgetToken(exchange));
    }

    /**
     * Drops the {@code Authorization} header from the server's request once the token is checked: the
     * connection keeps its request for the stream's life, and a token is nothing to keep in memory longer
     * than needed (nor a kilobyte per stream).
     */
    private static void forgetToken(ServerWebExchange exchange) {
        if (ServerHttpRequestDecorator.getNativeRequest(exchange.getRequest()) instanceof HttpServerRequest request) {
            request.requestHeaders().remove(HttpHeaders.AUTHORIZATION);
        }
    }

    /**
     * @param userId    the token's subject
     * @param expiresAt the token's expiry: the stream ends then at the latest
     */
    record Caller(String userId, Instant expiresAt) {

        static Caller of(Jwt jwt) {
            return new Caller(jwt.getSubject(), jwt.getExpiresAt());
        }
    }

    /** No valid bearer token: {@code 401} with {@code WWW-Authenticate: Bearer} (and its error code, if any). */
    static final class Unauthenticated extends RuntimeException {

        private final String error;

        Unauthenticated(String error) {
            super("A valid bearer token is required.");
            this.error = error;
        }

        String wwwAuthenticate() {
            return error == null ? "Bearer" : "Bearer error=\"" + error + "\"";
        }
    }

    /** A valid token without the ops role on an ops stream: {@code 403}. */
    static final class Forbidden extends RuntimeException {

        Forbidden() {
            super("This token does not allow this request.");
        }
    }
}
