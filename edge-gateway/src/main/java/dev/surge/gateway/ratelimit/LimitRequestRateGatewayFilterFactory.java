package dev.surge.gateway.ratelimit;

import java.util.List;

import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.NettyWriteResponseFilter;
import org.springframework.cloud.gateway.filter.OrderedGatewayFilter;
import org.springframework.cloud.gateway.filter.factory.AbstractGatewayFilterFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

import reactor.core.publisher.Mono;

/**
 * Applies a named per-client limit ({@link RateLimitProperties}) to a route:
 * {@code LimitRequestRate=search}. A refused request never reaches the service and gets a 429
 * problem with {@code Retry-After}; an allowed one carries {@code X-RateLimit-Remaining}. Runs
 * before every other filter of the route, so a refused request costs neither the breaker nor the
 * service anything.
 */
@Component
class LimitRequestRateGatewayFilterFactory extends AbstractGatewayFilterFactory<LimitRequestRateGatewayFilterFactory.Config> {

    static final int ORDER = NettyWriteResponseFilter.WRITE_RESPONSE_FILTER_ORDER - 10;

    static final String REMAINING_HEADER = "X-RateLimit-Remaining";

    private final RedisTokenBucket buckets;
    private final ClientKeyResolver clients;
    private final RateLimitProperties properties;

    LimitRequestRateGatewayFilterFactory(RedisTokenBucket buckets, ClientKeyResolver clients, RateLimitProperties properties) {
        super(Config.class);
        this.buckets = buckets;
        this.clients = clients;
        this.properties = properties;
    }

    @Override
    public List<String> shortcutFieldOrder() {
        return List.of("limit");
    }

    @Override
    public GatewayFilter apply(Config config) {
        String name = config.getLimit();
        RateLimitProperties.Limit limit = properties.limit(name);
        return new OrderedGatewayFilter((exchange, chain) -> clients.resolve(exchange)
                .flatMap(client -> buckets.take(name, client, limit))
                .flatMap(decision -> proceedOrRefuse(exchange, chain, name, decision)), ORDER);
    }

    private static Mono<Void> proceedOrRefuse(ServerWebExchange exchange, GatewayFilterChain chain, String name,
            Decision decision) {
        if (!decision.allowed()) {
            return Mono.error(new TooManyRequests(name, decision.retryAfterSeconds()));
        }
        if (decision.remaining() >= 0) {
            exchange.getResponse().getHeaders().set(REMAINING_HEADER, Long.toString(decision.remaining()));
        }
        return chain.filter(exchange);
    }

    /** Route arguments. */
    public static class Config {

        /** The name of a limit under {@code surge.gateway.rate-limit.limits}. */
        private String limit;

        public String getLimit() {
            return limit;
        }

        public void setLimit(String limit) {
            this.limit = limit;
        }
    }
}
