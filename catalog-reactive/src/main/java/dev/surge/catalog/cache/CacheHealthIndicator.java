package dev.surge.catalog.cache;

import org.springframework.boot.health.contributor.AbstractReactiveHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Mono;

/**
 * Health contributor {@code cache}: UP when Redis answers, DEGRADED (HTTP 200, still ready) when it
 * does not, because the catalog then serves from PostgreSQL: slower, not broken.
 */
@Component("cacheHealthIndicator")
class CacheHealthIndicator extends AbstractReactiveHealthIndicator {

    static final Status DEGRADED = new Status("DEGRADED", "Redis unreachable: serving from PostgreSQL without cache");

    private final ReactiveStringRedisTemplate redis;
    private final CatalogCacheProperties properties;

    CacheHealthIndicator(ReactiveStringRedisTemplate redis, CatalogCacheProperties properties) {
        this.redis = redis;
        this.properties = properties;
    }

    @Override
    protected Mono<Health> doHealthCheck(Health.Builder builder) {
        return redis.execute(connection -> connection.ping())
                .next()
                .timeout(properties.redisTimeout().multipliedBy(4))
                .map(pong -> builder.up().build())
                .onErrorResume(failure -> Mono.just(builder.status(DEGRADED).withDetail("error", failure.toString()).build()));
    }
}
