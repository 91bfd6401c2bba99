package dev.surge.gateway.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

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
 * "signed out" and sends the shopper to sign in again.
 *
 * <p>The sign-in time is the session attribute {@value #SIGNED_IN_AT} (ISO-8601 text, written by
 * {@link ShortPendingSessions#signedIn}); a session without one (a sign-in only started) has its
 * own short lifetime instead. A request without the session cookie never touches the session here.
 */
final class EndOldSessions implements WebFilter {

    static final String SIGNED_IN_AT = "surge.signedInAt";
    static final String DETAIL = "Your sign-in has expired; sign in again.";

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
                        ? session.invalidate().then(signedOut.commence(exchange,
                                new CredentialsExpiredException("the session is older than " + absoluteTimeout)))
                        : chain.filter(exchange));
    }

    private boolean tooOld(WebSession session) {
        String signedInAt = session.getAttribute(SIGNED_IN_AT);
        return signedInAt != null && !clock.instant().isBefore(Instant.parse(signedInAt).plus(absoluteTimeout));
    }
}
