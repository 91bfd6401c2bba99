package dev.surge.gateway.ratelimit;

import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

import reactor.core.publisher.Mono;

/**
 * The {@code sign-in} limit on starting a sign-in ({@code /oauth2/authorization/**}), per client
 * address: each start stores a pending session in Redis, so a flood of starts is refused with a
 * 429 problem before Spring Security writes anything. Runs ahead of the security filters. The
 * Redis-down policy is the search limit's: starts go through unchecked.
 */
@Component
class SignInStartLimit implements WebFilter, Ordered {

    static final String LIMIT = "sign-in";

    /** Ahead of Spring Security's filter chain (-100). */
    static final int ORDER = -150;

    private static final PathPattern SIGN_IN_START = PathPatternParser.defaultInstance.parse("/oauth2/authorization/**");

    private final RedisTokenBucket buckets;
    private final ClientKeyResolver clients;
    private final RateLimitProperties properties;

    SignInStartLimit(RedisTokenBucket buckets, ClientKeyResolver clients, RateLimitProperties properties) {
        this.buckets = buckets;
        this.clients = clients;
        this.properties = properties;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (!SIGN_IN_START.matches(exchange.getRequest().getPath().pathWithinApplication())) {
            return chain.filter(exchange);
        }
        RateLimitProperties.Limit limit = properties.limit(LIMIT);
        return clients.resolve(exchange)
                .flatMap(client -> buckets.take(LIMIT, client, limit))
                .flatMap(decision -> decision.allowed()
                        ? chain.filter(exchange)
                        : Mono.error(new TooManyRequests(LIMIT, decision.retryAfterSeconds())));
    }

    @Override
    public int getOrder() {
        return ORDER;
    }
}
