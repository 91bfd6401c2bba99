package dev.surge.catalog.cache;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link CatalogCache} in Redis. Values are JSON strings; each write also adds the key to an
 * index set per product it shows ({@code idx:sku:<sku>}) and per category it lists
 * ({@code idx:category:<id>}), in one Lua call, so eviction deletes exactly the affected keys.
 *
 * <p>Single flight is per instance: concurrent misses of one key in this JVM share one load, so N
 * instances cause at most N loads of a cold key, not one per request.
 */
@Component
class RedisCatalogCache implements CatalogCache {

    private static final Logger log = LoggerFactory.getLogger(RedisCatalogCache.class);
    private static final Duration WARNING_INTERVAL = Duration.ofSeconds(10);

    /** KEYS[1] value key, KEYS[2..] index sets; ARGV[1] value, ARGV[2] ttl ms, ARGV[3] index ttl ms. */
    private static final RedisScript<Long> WRITE = RedisScript.of("""
            redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
            for i = 2, #KEYS do
              redis.call('SADD', KEYS[i], KEYS[1])
              redis.call('PEXPIRE', KEYS[i], ARGV[3])
            end
            return #KEYS""", Long.class);

    /** KEYS[1] details key, KEYS[2..] index sets whose members and themselves go. */
    private static final RedisScript<Long> EVICT = RedisScript.of("""
            local deleted = redis.call('DEL', KEYS[1])
            for i = 2, #KEYS do
              local members = redis.call('SMEMBERS', KEYS[i])
              for _, member in ipairs(members) do
                deleted = deleted + redis.call('DEL', member)
              end
              redis.call('DEL', KEYS[i])
            end
            return deleted""", Long.class);

    private final ReactiveStringRedisTemplate redis;
    private final JsonMapper json;
    private final CatalogCacheProperties properties;
    private final Map<String, Mono<?>> inFlight = new ConcurrentHashMap<>();
    private final AtomicLong lastWarning = new AtomicLong();
    private final Counter hits;
    private final Counter loads;

    RedisCatalogCache(ReactiveStringRedisTemplate redis, JsonMapper json, CatalogCacheProperties properties,
            MeterRegistry meters) {
        this.redis = redis;
        this.json = json;
        this.properties = properties;
        this.hits = meters.counter("catalog.cache.hits");
        this.loads = meters.counter("catalog.cache.loads");
    }

    @Override
    public <T> Mono<T> get(Cached<T> entry, Supplier<Mono<T>> loader) {
        return read(entry)
                .switchIfEmpty(Mono.defer(() -> loadOnce(entry, loader)
                        // a shared load that has not answered in time: this request loads for itself
                        .timeout(properties.flightTimeout(), Mono.defer(() -> loadAlone(entry, loader)))));
    }

    private <T> Mono<T> loadAlone(Cached<T> entry, Supplier<Mono<T>> loader) {
        log.warn("Shared load of {} took longer than {}; loading without it", entry.key(), properties.flightTimeout());
        return Mono.defer(loader)
                .doOnSubscribe(subscription -> loads.increment());
    }

    @Override
    public Mono<Void> evictProduct(String sku, Collection<String> categoryIds) {
        List<String> keys = new ArrayList<>();
        keys.add(key("details:" + sku));
        keys.add(key("idx:sku:" + sku));
        categoryIds.forEach(category -> keys.add(key("idx:category:" + category)));
        return redis.execute(EVICT, keys, List.of())
                .timeout(properties.redisTimeout())
                .then()
                // an eviction Redis did not take leaves the entry to expire with its TTL
                .onErrorResume(failure -> degraded("evict " + sku, failure));
    }

    private <T> Mono<T> read(Cached<T> entry) {
        return redis.opsForValue()
                .get(key(entry.key()))
                .timeout(properties.redisTimeout())
                .map(value -> json.readValue(value, entry.type()))
                .doOnNext(value -> hits.increment())
                // Redis down or slow: a miss, answered from PostgreSQL
                .onErrorResume(failure -> degraded("read " + entry.key(), failure));
    }

    @SuppressWarnings("unchecked")
    private <T> Mono<T> loadOnce(Cached<T> entry, Supplier<Mono<T>> loader) {
        // The flight reads again first: a request that missed just before an earlier flight wrote
        // the value and left would otherwise load a second time.
        return (Mono<T>) inFlight.computeIfAbsent(entry.key(), key -> read(entry)
                .switchIfEmpty(Mono.defer(loader)
                        .doOnSubscribe(subscription -> loads.increment())
                        .flatMap(value -> write(entry, value).thenReturn(value)))
                .doFinally(signal -> inFlight.remove(key))
                .cache());
    }

    private <T> Mono<Void> write(Cached<T> entry, T value) {
        List<String> keys = new ArrayList<>();
        keys.add(key(entry.key()));
        entry.skus().apply(value).forEach(sku -> keys.add(key("idx:sku:" + sku)));
        entry.categories().forEach(category -> keys.add(key("idx:category:" + category)));
        return Mono.fromCallable(() -> json.writeValueAsString(value))
                .flatMap(serialized -> redis.execute(WRITE, keys, List.of(serialized,
                                Long.toString(entry.ttl().toMillis()), Long.toString(properties.indexTtl().toMillis())))
                        .then())
                .timeout(properties.redisTimeout())
                // not cached this time; the next request loads again
                .onErrorResume(failure -> degraded("write " + entry.key(), failure));
    }

    private String key(String suffix) {
        return properties.keyPrefix() + suffix;
    }

    private <T> Mono<T> degraded(String operation, Throwable failure) {
        long now = System.nanoTime();
        long last = lastWarning.get();
        if (now - last > WARNING_INTERVAL.toNanos() && lastWarning.compareAndSet(last, now)) {
            log.warn("Redis cache unavailable ({}: {}); serving from PostgreSQL", operation, failure.toString());
        }
        return Mono.empty();
    }
}
