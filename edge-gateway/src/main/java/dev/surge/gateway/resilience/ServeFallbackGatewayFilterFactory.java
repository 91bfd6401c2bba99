package dev.surge.gateway.resilience;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.NettyWriteResponseFilter;
import org.springframework.cloud.gateway.filter.OrderedGatewayFilter;
import org.springframework.cloud.gateway.filter.factory.AbstractGatewayFilterFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

import reactor.core.publisher.Mono;

/**
 * The answer when a service fails: for a GET the gateway has answered well before, that last good
 * answer marked stale; otherwise a 503 problem naming the service, with {@code Retry-After}.
 *
 * <p>A failure is anything that keeps the service's answer from starting: connection refused, the
 * breaker's time limit, an open breaker, a full bulkhead, or a 502/503/504 the breaker counts. A
 * client error raised on the way (4xx) passes through untouched. Good answers to GETs are kept on
 * the way out (see {@link RecordingResponse}).
 *
 * <p>Goes with the route's {@code CircuitBreaker} filter, which must not have a
 * {@code fallbackUri} (its errors are what this filter answers). The service's name comes from the
 * route's {@code service} metadata and selects its breaker settings, whose open-state wait becomes
 * {@code Retry-After}. Runs around {@link NettyWriteResponseFilter}, so it sees the relayed body.
 */
@Component
class ServeFallbackGatewayFilterFactory extends AbstractGatewayFilterFactory<Object> {

    static final int ORDER = NettyWriteResponseFilter.WRITE_RESPONSE_FILTER_ORDER - 1;

    private final RedisLastGoodResponses lastGood;
    private final StaleAnswers staleAnswers;
    private final ResilienceProperties properties;
    private final RecentWrites recentWrites;
    private final Clock clock;

    ServeFallbackGatewayFilterFactory(RedisLastGoodResponses lastGood, StaleAnswers staleAnswers,
            ResilienceProperties properties) {
        super(Object.class);
        this.lastGood = lastGood;
        this.staleAnswers = staleAnswers;
        this.properties = properties;
        this.clock = Clock.systemUTC();
        this.recentWrites = new RecentWrites(properties.lastGood().refreshAfter(), clock);
    }

    @Override
    public GatewayFilter apply(Object config) {
        return new OrderedGatewayFilter(this::filter, ORDER);
    }

    private Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        if (!HttpMethod.GET.equals(request.getMethod())) {
            return chain.filter(exchange)
                    .onErrorResume(failure -> unavailable(exchange, failure));
        }
        Optional<String> kept = lastGood.keyFor(request);
        if (kept.isEmpty()) {
            // not an answer to keep, so none to serve either
            return chain.filter(exchange)
                    .onErrorResume(failure -> unavailable(exchange, failure));
        }
        String key = kept.get();
        ServerWebExchange recording = exchange.mutate()
                .response(new RecordingResponse(exchange.getResponse(), key,
                        request.getHeaders().containsHeader(HttpHeaders.AUTHORIZATION), lastGood, recentWrites,
                        (int) properties.lastGood().maxBodySize().toBytes(), clock))
                .build();
        return chain.filter(recording)
                .onErrorResume(failure -> staleOrUnavailable(exchange, key, failure));
    }

    private Mono<Void> staleOrUnavailable(ServerWebExchange exchange, String key, Throwable failure) {
        if (!ServiceUnavailable.isServiceFailure(exchange, failure)) {
            return Mono.error(failure);
        }
        return lastGood.find(key)
                .flatMap(stored -> staleAnswers.write(exchange, stored, Duration.between(stored.storedAt(), clock.instant()))
                        .thenReturn(stored))
                .switchIfEmpty(Mono.defer(() -> unavailable(exchange, failure)))
                .then();
    }

    private <T> Mono<T> unavailable(ServerWebExchange exchange, Throwable failure) {
        return ServiceUnavailable.insteadOf(failure, exchange, properties, true);
    }
}
