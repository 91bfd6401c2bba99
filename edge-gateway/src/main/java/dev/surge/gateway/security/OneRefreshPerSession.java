package dev.surge.gateway.security;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicReference;

import org.springframework.security.oauth2.client.OAuth2AuthorizeRequest;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.ReactiveOAuth2AuthorizedClientManager;
import org.springframework.web.server.ServerWebExchange;

import reactor.core.publisher.Mono;

/**
 * Lets the requests of one browser session that need its tokens at the same moment share one
 * authorization (one refresh), instead of each refreshing on its own: with a provider that
 * rotates refresh tokens, every refresh but the first would fail with {@code invalid_grant} and
 * sign the shopper out. Keyed by session id, so two sessions of the same person (phone and
 * laptop, each with its own refresh token) never share. Within one gateway instance; requests of
 * one session spread over instances can still race.
 */
final class OneRefreshPerSession implements ReactiveOAuth2AuthorizedClientManager {

    private final ReactiveOAuth2AuthorizedClientManager delegate;
    private final ConcurrentMap<String, Mono<OAuth2AuthorizedClient>> inFlight = new ConcurrentHashMap<>();

    OneRefreshPerSession(ReactiveOAuth2AuthorizedClientManager delegate) {
        this.delegate = delegate;
    }

    @Override
    public Mono<OAuth2AuthorizedClient> authorize(OAuth2AuthorizeRequest request) {
        ServerWebExchange exchange = request.getAttribute(ServerWebExchange.class.getName());
        if (exchange == null) {
            return delegate.authorize(request);
        }
        return exchange.getSession().flatMap(session -> {
            String key = session.getId() + " " + request.getClientRegistrationId();
            AtomicReference<Mono<OAuth2AuthorizedClient>> self = new AtomicReference<>();
            Mono<OAuth2AuthorizedClient> mine = delegate.authorize(request)
                    .doFinally(signal -> inFlight.remove(key, self.get()))
                    .cache();
            self.set(mine);
            Mono<OAuth2AuthorizedClient> running = inFlight.putIfAbsent(key, mine);
            return running != null ? running : mine;
        });
    }
}
