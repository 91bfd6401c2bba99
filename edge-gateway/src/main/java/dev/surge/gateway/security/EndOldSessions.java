package dev.surge.gateway.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.security.authentication.CredentialsExpiredException;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.server.WebSession;

import reactor.core.publisher.Mono;

/**
 * A signed-in browser session ends {@code absoluteTimeout} after its sign-in, however active it
 * has been: the idle timeout alone would let a session that is used every hour (or a stolen
 * cookie replayed every hour) live for ever, with the roles of a sign-in long ago. Such a request
 * is answered 401, the session is deleted from Redis and its cookie expired, so the app sees
 * "signed out" and sends the shopper to sign in again. Starting a sign-in with such a session is
 * not refused: the browser is sent back to the same address (with the cookie expired), so the
 * sign-in starts afresh in a new session instead of showing the shopper a 401.
 *
 * <p>The sign-in time is the session attribute {@value #SIGNED_IN_AT} (ISO-8601 text, written by
 * {@link ShortPendingSessions#signedIn}); a session without one (a sign-in only started) has its
 * own short lifetime instead. A request without the session cookie never touches the session here.
 */
final class EndOldSessions implements WebFilter {

    static final String SIGNED_IN_AT = "surge.signedInAt";
    static final String DETAIL = "Your sign-in has expired; sign in again.";
    private static final String SIGN_IN_START = "/oauth2/authorization/";

    private final String sessionCookie;
    private final Duration absoluteTimeout;
    private final Clock clock;
    private final ServerAuthenticationEntryPoint signedOut;

    EndOldSessions(String sessionCookie, Duration absoluteTimeout, Clock clock, ServerAuthenticationEntryPoint signedOut) {
        this.sessionCookie = sessionCookie;
        this.absoluteTimeout = absoluteTimeout;
        this.clock = clock;
        this.signedOut = signedOut;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (!exchange.getRequest().getCookies().containsKey(sessionCookie)) {
            return chain.filter(exchange);
        }
        return exchange.getSession()
                .flatMap(session -> tooOld(session)
                        ? session.invalidate().then(Mono.defer(() -> ended(exchange)))
                        : chain.filter(exchange));
    }

    private Mono<Void> ended(ServerWebExchange exchange) {
        ServerHttpRequest request = exchange.getRequest();
        if (request.getMethod() == HttpMethod.GET && request.getPath().value().startsWith(SIGN_IN_START)) {
            exchange.getResponse().setStatusCode(HttpStatus.FOUND);
            exchange.getResponse().getHeaders().set(HttpHeaders.LOCATION, request.getURI().getRawPath()
                    + (request.getURI().getRawQuery() == null ? "" : "?" + request.getURI().getRawQuery()));
            return exchange.getResponse().setComplete();
        }
        return signedOut.commence(exchange, new CredentialsExpiredException("the session is older than " + absoluteTimeout));
    }

    private boolean tooOld(WebSession session) {
        String signedInAt = session.getAttribute(SIGNED_IN_AT);
        return signedInAt != null && !clock.instant().isBefore(Instant.parse(signedInAt).plus(absoluteTimeout));
    }
}
