package dev.surge.gateway.ratelimit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;

import dev.surge.gateway.redis.RedisKeys;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Mono;

/**
 * Token buckets in Redis, one per limit and client, shared by every gateway instance: the check
 * and the charge are one Lua script, so concurrent requests from one client cannot both spend the
 * last token.
 */
@Component
class RedisTokenBucket {

    private static final Log log = LogFactory.getLog(RedisTokenBucket.class);

    @SuppressWarnings("rawtypes")
    private final RedisScript<List> script;
    private final ReactiveStringRedisTemplate redis;
    private final RedisKeys keys;
    private final Duration redisTimeout;
    private final Counter unchecked;

    RedisTokenBucket(ReactiveStringRedisTemplate redis, RedisKeys keys, RateLimitProperties properties,
            MeterRegistry meters) {
        this.redis = redis;
        this.keys = keys;
        this.redisTimeout = properties.redisTimeout();
        // read once at start-up: a classpath read on a request's event loop would block it
        this.script = RedisScript.of(load("token-bucket.lua"), List.class);
        this.unchecked = Counter.builder("surge.gateway.rate.limit.unchecked")
                .description("Requests let through without a rate-limit check because Redis was away")
                .register(meters);
    }

    Mono<Decision> take(String limitName, String client, RateLimitProperties.Limit limit) {
        List<String> bucket = List.of(keys.key("rate-limit", limitName + ":" + client));
        List<String> args = List.of(Double.toString(limit.replenishPerSecond()),
                Integer.toString(limit.burstCapacity()), "1");
        return redis.execute(script, bucket, args)
                .next()
                .map(RedisTokenBucket::decision)
                .timeout(redisTimeout)
                // fail open: a Redis outage must not become a search outage; the breaker and bulkhead still cap what reaches catalog
                .onErrorResume(error -> letThrough(limitName, error));
    }

    private Mono<Decision> letThrough(String limitName, Throwable error) {
        unchecked.increment();
        log.debug("rate limit " + limitName + " not checked: " + error);
        return Mono.just(Decision.UNCHECKED);
    }

    private static Decision decision(List<?> reply) {
        return new Decision(((Number) reply.get(0)).longValue() == 1, ((Number) reply.get(1)).longValue(),
                Duration.ofMillis(((Number) reply.get(2)).longValue()));
    }

    private static String load(String name) {
        try {
            return new ClassPathResource(name, RedisTokenBucket.class).getContentAsString(StandardCharsets.UTF_8);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
