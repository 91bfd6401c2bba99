package dev.surge.gateway.security;

import java.time.Clock;
import java.time.Duration;

import org.springframework.security.oauth2.client.web.server.ServerAuthorizationRequestRepository;
import org.springframework.security.oauth2.client.web.server.WebSessionOAuth2ServerAuthorizationRequestRepository;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.web.server.authentication.ServerAuthenticationSuccessHandler;
import org.springframework.security.web.server.context.WebSessionServerSecurityContextRepository;
import org.springframework.web.server.ServerWebExchange;

import reactor.core.publisher.Mono;

/**
 * Anyone can start a sign-in, and each start stores a session in Redis; such a pending session
 * lives {@code pending-timeout} (10 min), not the full session timeout, so a flood of starts that
 * never finish costs little. Signing in gives the session its full idle timeout and records when
 * it happened, which {@link EndOldSessions} counts the absolute lifetime from.
 */
final class ShortPendingSessions implements ServerAuthorizationRequestRepository<OAuth2AuthorizationRequest> {

    private final ServerAuthorizationRequestRepository<OAuth2AuthorizationRequest> delegate =
            new WebSessionOAuth2ServerAuthorizationRequestRepository();
    private static final String SIGNED_IN = WebSessionServerSecurityContextRepository.DEFAULT_SPRING_SECURITY_CONTEXT_ATTR_NAME;

    private final Duration pendingTimeout;

    ShortPendingSessions(Duration pendingTimeout) {
        this.pendingTimeout = pendingTimeout;
    }

    /** Wraps the success handler so the signed-in session gets {@code sessionTimeout} again and its sign-in time. */
    static ServerAuthenticationSuccessHandler signedIn(Duration sessionTimeout, Clock clock,
            ServerAuthenticationSuccessHandler then) {
        return (exchange, authentication) -> exchange.getExchange().getSession()
                .doOnNext(session -> {
                    session.setMaxIdleTime(sessionTimeout);
                    session.getAttributes().put(EndOldSessions.SIGNED_IN_AT, clock.instant().toString());
                })
                .then(then.onAuthenticationSuccess(exchange, authentication));
    }

    @Override
    public Mono<OAuth2AuthorizationRequest> loadAuthorizationRequest(ServerWebExchange exchange) {
        return delegate.loadAuthorizationRequest(exchange);
    }

    @Override
    public Mono<Void> saveAuthorizationRequest(OAuth2AuthorizationRequest request, ServerWebExchange exchange) {
        return delegate.saveAuthorizationRequest(request, exchange)
                .then(exchange.getSession().doOnNext(session -> {
                    // a shopper already signed in keeps their lifetime while signing in again
                    if (session.getAttribute(SIGNED_IN) == null) {
                        session.setMaxIdleTime(pendingTimeout);
                    }
                }))
                .then();
    }

    @Override
    public Mono<OAuth2AuthorizationRequest> removeAuthorizationRequest(ServerWebExchange exchange) {
        return delegate.removeAuthorizationRequest(exchange);
    }
}
