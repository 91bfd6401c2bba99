package dev.surge.service.health;

import java.time.Duration;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;

import reactor.core.publisher.Mono;

/**
 * Health contributor {@code redis}: UP when Redis answers a PING in time, DEGRADED otherwise, never
 * DOWN. Every service keeps only disposable copies and fallbacks in Redis, so its outage makes an
 * instance slower, not unable to serve; Boot's own Redis check (DOWN) is replaced by this one.
 */
class RedisHealthIndicator implements ReactiveHealthIndicator {

    private final ReactiveRedisConnectionFactory connections;
    private final Duration timeout;

    RedisHealthIndicator(ReactiveRedisConnectionFactory connections, Duration timeout) {
        this.connections = connections;
        this.timeout = timeout;
    }

    @Override
    public Mono<Health> health() {
        return Mono.usingWhen(Mono.fromSupplier(connections::getReactiveConnection),
                        connection -> connection.ping(),
                        connection -> connection.closeLater())
                .timeout(timeout)
                .map(pong -> Health.up().build())
                .onErrorResume(failure -> Mono.just(Health.status(DegradedStatus.DEGRADED)
                        .withDetail("error", failure.getClass().getSimpleName() + ": " + failure.getMessage())
                        .build()));
    }
}
