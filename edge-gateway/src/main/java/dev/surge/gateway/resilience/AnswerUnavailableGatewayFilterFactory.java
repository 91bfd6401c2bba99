package dev.surge.gateway.resilience;

import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.OrderedGatewayFilter;
import org.springframework.cloud.gateway.filter.factory.AbstractGatewayFilterFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

import reactor.core.publisher.Mono;

/**
 * The answer when a service that has no kept answers fails (refused, over its breaker's time limit,
 * breaker open, bulkhead full, a 502/503/504 the breaker counts): a 503 problem naming the service,
 * with its breaker's open-state wait as {@code Retry-After}, never a hang or a bare error. A client
 * error raised on the way (4xx) and a failure after the answer started pass through untouched.
 *
 * <p>Goes with the route's {@code CircuitBreaker} filter (without {@code fallbackUri}); the route's
 * {@code service} metadata selects the breaker settings. The routes whose GETs may be served stale
 * use {@link ServeFallbackGatewayFilterFactory} instead. Placed where that filter is, around
 * the response writer, so that it sees errors raised while the answer is still to start.
 */
@Component
class AnswerUnavailableGatewayFilterFactory extends AbstractGatewayFilterFactory<Object> {

    private final ResilienceProperties properties;

    AnswerUnavailableGatewayFilterFactory(ResilienceProperties properties) {
        super(Object.class);
        this.properties = properties;
    }

    @Override
    public GatewayFilter apply(Object config) {
        return new OrderedGatewayFilter(this::filter, ServeFallbackGatewayFilterFactory.ORDER);
    }

    private Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        return chain.filter(exchange)
                .onErrorResume(failure -> ServiceUnavailable.insteadOf(failure, exchange, properties, false));
    }
}
