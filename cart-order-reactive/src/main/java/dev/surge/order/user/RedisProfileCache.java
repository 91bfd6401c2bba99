package dev.surge.order.user;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;

import dev.surge.order.copies.RedisCopies;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Profiles cache-aside in Redis ({@code profile:<userId>}, 10 minutes), with a generation per
 * profile ({@code profile-generation:<userId>}) that every eviction bumps. A load reads the
 * generation before it reads PostgreSQL, and its copy is written only while that generation is
 * still current, in one Lua call: a load that read the row before a change committed cannot leave
 * its stale copy behind the change's eviction. Redis away: every call answers from the loader.
 */
@Component
class RedisProfileCache {

    private static final Logger log = LoggerFactory.getLogger(RedisProfileCache.class);
    private static final Duration CACHE_TTL = Duration.ofMinutes(10);
    private static final Duration REDIS_TIMEOUT = Duration.ofMillis(250);
    /** A load whose generation could not be read: served, never written. */
    private static final String UNKNOWN = "";

    /** KEYS[1] profile, KEYS[2] generation; ARGV[1] generation ttl ms (as long as a copy may live). */
    private static final RedisScript<Long> EVICT = RedisScript.of("""
            redis.call('INCR', KEYS[2])
            redis.call('PEXPIRE', KEYS[2], ARGV[1])
            return redis.call('DEL', KEYS[1])""", Long.class);

    private final ReactiveStringRedisTemplate redis;
    private final JsonMapper json;
    private final String keyPrefix;

    RedisProfileCache(ReactiveStringRedisTemplate redis, JsonMapper json, UserProfileProperties properties) {
        this.redis = redis;
        this.json = json;
        this.keyPrefix = properties.keyPrefix();
    }

    /** The cached profile, or the loader's, which is cached unless the profile changed meanwhile. */
    Mono<UserProfile> get(String userId, Supplier<Mono<UserProfile>> loader) {
        return cached(userId)
                .switchIfEmpty(Mono.defer(() -> generation(userId)
                        .flatMap(seen -> Mono.defer(loader)
                                .flatMap(profile -> write(profile, seen).thenReturn(profile)))));
    }

    /** Drops the copy and makes every load that started before this call unable to write. */
    Mono<Void> evict(String userId) {
        return redis.execute(EVICT, List.of(key(userId), generationKey(userId)),
                        List.of(Long.toString(CACHE_TTL.toMillis())))
                .timeout(REDIS_TIMEOUT)
                .then()
                // an eviction Redis missed leaves the old profile until the TTL: logged, not failed
                .onErrorResume(failure -> skipCache("evict", failure));
    }

    private Mono<UserProfile> cached(String userId) {
        return redis.opsForValue().get(key(userId))
                .timeout(REDIS_TIMEOUT)
                .map(value -> json.readValue(value, UserProfile.class))
                // Redis down or slow: read PostgreSQL instead
                .onErrorResume(failure -> skipCache("read", failure));
    }

    private Mono<String> generation(String userId) {
        return redis.opsForValue().get(generationKey(userId))
                .defaultIfEmpty("0")
                .timeout(REDIS_TIMEOUT)
                // Redis down or slow: the profile is read from PostgreSQL and not cached
                .onErrorResume(failure -> skipCache("read generation", failure).thenReturn(UNKNOWN));
    }

    private Mono<Void> write(UserProfile profile, String seen) {
        if (UNKNOWN.equals(seen)) {
            return Mono.empty();
        }
        return Mono.fromCallable(() -> json.writeValueAsString(profile))
                .flatMap(value -> redis.execute(RedisCopies.WRITE_IF_CURRENT,
                                List.of(key(profile.userId()), generationKey(profile.userId())),
                                List.of(value, seen, Long.toString(CACHE_TTL.toMillis())))
                        .next())
                .timeout(REDIS_TIMEOUT)
                .then()
                // not cached this time; the next read goes to PostgreSQL again
                .onErrorResume(failure -> skipCache("write", failure));
    }

    private String key(String userId) {
        return keyPrefix + "profile:" + userId;
    }

    private String generationKey(String userId) {
        return keyPrefix + "profile-generation:" + userId;
    }

    private static <T> Mono<T> skipCache(String operation, Throwable failure) {
        log.warn("Profile cache {} skipped: {}", operation, failure.toString());
        return Mono.empty();
    }
}
