package dev.surge.gateway.resilience;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.boot.health.contributor.AbstractReactiveHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Mono;

/**
 * Health contributor {@code redis}: UP when Redis answers, DEGRADED (HTTP 200, still ready) when it
 * does not. Without Redis the gateway still routes: browsing goes on (catalog's kept answers aside),
 * rate limits let requests through unchecked, and only signed-in browsers get a 503 for their
 * session; taking every instance out of rotation would turn that into a whole-shop outage. Boot's own
 * Redis check (DOWN) is off. The result of the latest check is also the gauge
 * {@code surge.gateway.redis.reachable} (1 or 0).
 */
@Component("redisHealthIndicator")
class RedisHealthIndicator extends AbstractReactiveHealthIndicator {

    static final Status DEGRADED = new Status("DEGRADED",
            "Redis unreachable: routing goes on; kept answers, rate limits and browser sessions are unavailable");

    /** Lettuce rejects commands at once while disconnected; this bounds a Redis that hangs instead. */
    private static final Duration PING_TIMEOUT = Duration.ofSeconds(1);

    private final ReactiveStringRedisTemplate redis;
    private final AtomicInteger reachable = new AtomicInteger(1);

    RedisHealthIndicator(ReactiveStringRedisTemplate redis, MeterRegistry meters) {
        super("Redis health check failed");
        this.redis = redis;
        Gauge.builder("surge.gateway.redis.reachable", reachable, AtomicInteger::get)
                .description("1 when the latest health check reached Redis, else 0")
                .register(meters);
    }

    @Override
    protected Mono<Health> doHealthCheck(Health.Builder builder) {
        return redis.execute(connection -> connection.ping())
                .next()
                .timeout(PING_TIMEOUT)
                .map(pong -> builder.up().build())
                .onErrorResume(failure -> Mono.just(builder.status(DEGRADED).withDetail("error", failure.toString()).build()))
                .doOnNext(health -> reachable.set(Status.UP.equals(health.getStatus()) ? 1 : 0));
    }
}
