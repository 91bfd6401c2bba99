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
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.core.ReactiveRedisTemplate;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.serializer.RedisSerializationContext;
import org.springframework.data.redis.serializer.RedisSerializer;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link CatalogCache} in Redis. Values are the answer's entity tag, a line feed and its JSON
 * bytes ({@link CachedJson}), read back as bytes and sent as they are; each write also adds the key to an
 * index per product it shows ({@code index:sku:<sku>}) and per category it lists
 * ({@code index:category:<id>}), in one Lua call, so eviction deletes exactly the affected keys.
 *
 * <p>Indexes are sorted sets scored by each member's expiry (named {@code index:}, not the
 * {@code idx:} of the earlier plain sets, so a running Redis never mixes the two types): a write drops the members that have
 * expired and, past {@code index-limit}, the ones closest to expiry together with their values, so
 * no index outgrows the limit however hot its product. Search pages are not indexed at all (their
 * key space is every query anyone types); their short TTL bounds them instead.
 *
 * <p>A load that read the database before a change committed must not write its stale copy after
 * the change's eviction. Every eviction takes the next number of a counter ({@code evictions}) and
 * leaves it on each product and category it evicts ({@code evicted:sku:<sku>}, a marker that lives
 * {@code eviction-marker-ttl}); a load reads the counter before it starts, and its write is refused
 * when any product or category it shows carries a later number.
 *
 * <p>Single flight is per instance: concurrent misses of one key in this JVM share one load, so N
 * instances cause at most N loads of a cold key, not one per request.
 */
@Component
class RedisCatalogCache implements CatalogCache {

    private static final Logger log = LoggerFactory.getLogger(RedisCatalogCache.class);
    private static final Duration WARNING_INTERVAL = Duration.ofSeconds(10);

    /** A load whose eviction counter could not be read: it is served, never written. */
    private static final long UNKNOWN = -1;

    /** The eviction counter's key. */
    private static final String EVICTIONS = "evictions";

    /**
     * KEYS[1] value key, KEYS[2 .. 1+n] index sets, the rest eviction markers; ARGV[1] value,
     * ARGV[2] ttl ms, ARGV[3] index ttl ms, ARGV[4] the eviction counter the load started at,
     * ARGV[5] index limit, ARGV[6] n. Returns 0 when a marker refuses the write.
     */
    private static final RedisScript<Long> WRITE = RedisScript.of("""
            local n = tonumber(ARGV[6])
            local seen = tonumber(ARGV[4])
            for i = 2 + n, #KEYS do
              local evicted = redis.call('GET', KEYS[i])
              if evicted and tonumber(evicted) > seen then
                return 0
              end
            end
            local time = redis.call('TIME')
            local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
            local limit = tonumber(ARGV[5])
            redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
            for i = 2, 1 + n do
              redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', now)
              redis.call('ZADD', KEYS[i], now + tonumber(ARGV[2]), KEYS[1])
              local excess = redis.call('ZCARD', KEYS[i]) - limit
              if excess > 0 then
                redis.call('UNLINK', unpack(redis.call('ZRANGE', KEYS[i], 0, excess - 1)))
                redis.call('ZREMRANGEBYRANK', KEYS[i], 0, excess - 1)
              end
              redis.call('PEXPIRE', KEYS[i], ARGV[3])
            end
            return 1""", Long.class);

    /**
     * KEYS[1] details key, KEYS[2] eviction counter, KEYS[3 .. 2+n] index sets whose members and
     * themselves go, the rest eviction markers to set; ARGV[1] n, ARGV[2] marker ttl ms. Each index
     * holds at most {@code index-limit} members, so this script's work is bounded; UNLINK frees the
     * memory off Redis's main thread.
     */
    private static final RedisScript<Long> EVICT = RedisScript.of("""
            local n = tonumber(ARGV[1])
            local number = redis.call('INCR', KEYS[2])
            for i = 3 + n, #KEYS do
              redis.call('SET', KEYS[i], number, 'PX', ARGV[2])
            end
            local deleted = redis.call('UNLINK', KEYS[1])
            for i = 3, 2 + n do
              local members = redis.call('ZRANGE', KEYS[i], 0, -1)
              if #members > 0 then
                deleted = deleted + redis.call('UNLINK', unpack(members))
              end
              redis.call('UNLINK', KEYS[i])
            end
            return deleted""", Long.class);

    private final ReactiveStringRedisTemplate redis;
    /** The same Redis, values as bytes: a hit's JSON is never decoded into a string. */
    private final ReactiveRedisTemplate<String, byte[]> bytes;
    private final JsonMapper json;
    private final CatalogCacheProperties properties;
    private final Map<String, Mono<CachedJson>> inFlight = new ConcurrentHashMap<>();
    private final AtomicLong lastWarning = new AtomicLong();
    private final LocalCopies copies;
    private final Counter hits;
    private final Counter localHits;
    private final Counter loads;

    RedisCatalogCache(ReactiveStringRedisTemplate redis, ReactiveRedisConnectionFactory connections, JsonMapper json,
            CatalogCacheProperties properties, MeterRegistry meters) {
        this.redis = redis;
        this.bytes = new ReactiveRedisTemplate<>(connections, RedisSerializationContext
                .<String, byte[]>newSerializationContext(RedisSerializer.byteArray())
                .key(RedisSerializer.string())
                .hashKey(RedisSerializer.string())
                .build());
        this.json = json;
        this.properties = properties;
        this.copies = new LocalCopies(properties.localTtl(), properties.localEntries(), properties.localBytes().toBytes());
        this.hits = meters.counter("catalog.cache.hits");
        this.localHits = meters.counter("catalog.cache.local.hits");
        meters.gauge("catalog.cache.local.entries", copies, LocalCopies::size);
        meters.gauge("catalog.cache.local.bytes", copies, LocalCopies::bytes);
        this.loads = meters.counter("catalog.cache.loads");
    }

    @Override
    public <T> Mono<T> get(Cached<T> entry, Supplier<Mono<T>> loader) {
        return json(entry, loader).map(found -> json.readValue(found.json(), entry.type()));
    }

    @Override
    public <T> Mono<CachedJson> json(Cached<T> entry, Supplier<Mono<T>> loader) {
        return read(entry)
                .switchIfEmpty(Mono.defer(() -> loadOnce(entry, loader)
                        // a shared load that has not answered in time: this request loads for itself
                        .timeout(properties.flightTimeout(), Mono.defer(() -> loadAlone(entry, loader)))));
    }

    @Override
    public <T> Mono<CachedJson> uncached(Mono<T> value) {
        return value.map(this::serialize);
    }

    private <T> Mono<CachedJson> loadAlone(Cached<T> entry, Supplier<Mono<T>> loader) {
        log.warn("Shared load of {} took longer than {}; loading without it", entry.key(), properties.flightTimeout());
        return Mono.defer(loader)
                .doOnSubscribe(subscription -> loads.increment())
                .map(this::serialize);
    }

    private CachedJson serialize(Object value) {
        return CachedJson.of(json.writeValueAsBytes(value));
    }

    @Override
    public Mono<Void> evictProduct(String sku, Collection<String> categoryIds) {
        List<String> keys = new ArrayList<>();
        keys.add(key("details:" + sku));
        keys.add(key(EVICTIONS));
        keys.add(key("index:sku:" + sku));
        categoryIds.forEach(category -> keys.add(key("index:category:" + category)));
        keys.add(key("evicted:sku:" + sku));
        categoryIds.forEach(category -> keys.add(key("evicted:category:" + category)));
        return redis.execute(EVICT, keys, List.of(Integer.toString(1 + categoryIds.size()),
                        Long.toString(properties.evictionMarkerTtl().toMillis())))
                .timeout(properties.redisTimeout())
                // after Redis let go of the entries (a read between the two would copy them again), and
                // before whatever follows the eviction reads (doFinally would run only after that)
                .doOnTerminate(copies::evicted)
                .doOnCancel(copies::evicted)
                .then()
                // an eviction Redis did not take leaves the entry to expire with its TTL
                .onErrorResume(failure -> degraded("evict " + sku, failure));
    }

    /** The entry as Redis (or this instance's copy of it) holds it when subscribed to, not when built. */
    private Mono<CachedJson> read(Cached<?> entry) {
        return Mono.defer(() -> {
            String key = key(entry.key());
            CachedJson copy = copies.get(key);
            if (copy != null) {
                localHits.increment();
                return Mono.just(copy);
            }
            LocalCopies.Generation generation = copies.generation();
            return redisRead(entry, key, generation);
        });
    }

    private Mono<CachedJson> redisRead(Cached<?> entry, String key, LocalCopies.Generation generation) {
        return bytes.opsForValue()
                .get(key)
                .timeout(properties.redisTimeout())
                // null (a miss) for a value an earlier version wrote as bare JSON
                .mapNotNull(CachedJson::fromStored)
                .doOnNext(value -> {
                    hits.increment();
                    copies.keep(key, value, generation);
                })
                // Redis down or slow: a miss, answered from PostgreSQL
                .onErrorResume(failure -> degraded("read " + entry.key(), failure));
    }

    private <T> Mono<CachedJson> loadOnce(Cached<T> entry, Supplier<Mono<T>> loader) {
        // The flight reads again first: a request that missed just before an earlier flight wrote
        // the value and left would otherwise load a second time.
        return inFlight.computeIfAbsent(entry.key(), key -> read(entry)
                .switchIfEmpty(Mono.defer(() -> evictionsSoFar()
                        .flatMap(seen -> Mono.defer(loader)
                                .doOnSubscribe(subscription -> loads.increment())
                                .flatMap(value -> {
                                    CachedJson serialized = serialize(value);
                                    return write(entry, value, serialized, seen).thenReturn(serialized);
                                }))))
                .doFinally(signal -> inFlight.remove(key))
                .cache());
    }

    /** The eviction counter before a load reads the database; read first, so a later eviction shows. */
    private Mono<Long> evictionsSoFar() {
        return redis.opsForValue()
                .get(key(EVICTIONS))
                .map(Long::parseLong)
                .defaultIfEmpty(0L)
                .timeout(properties.redisTimeout())
                // Redis down or slow: the load goes on, its value is served but not written
                .onErrorResume(failure -> degraded("read " + EVICTIONS, failure).thenReturn(UNKNOWN));
    }

    private <T> Mono<Void> write(Cached<T> entry, T value, CachedJson serialized, long seen) {
        if (seen == UNKNOWN) {
            return Mono.empty();
        }
        List<String> indexes = new ArrayList<>();
        List<String> markers = new ArrayList<>();
        entry.skus().apply(value).forEach(sku -> {
            indexes.add(key("index:sku:" + sku));
            markers.add(key("evicted:sku:" + sku));
        });
        entry.categories().forEach(category -> {
            indexes.add(key("index:category:" + category));
            markers.add(key("evicted:category:" + category));
        });
        List<String> keys = new ArrayList<>();
        keys.add(key(entry.key()));
        if (entry.indexed()) {
            keys.addAll(indexes);
        }
        keys.addAll(markers);
        int indexCount = entry.indexed() ? indexes.size() : 0;
        return redis.execute(WRITE, keys, List.of(serialized.stored(),
                                Long.toString(entry.ttl().toMillis()), Long.toString(properties.indexTtl().toMillis()),
                                Long.toString(seen), Integer.toString(properties.indexLimit()),
                                Integer.toString(indexCount)))
                .next()
                .timeout(properties.redisTimeout())
                .filter(written -> written == 0)
                .doOnNext(refused -> log.debug("Not caching {}: a change it shows was evicted while it loaded",
                        entry.key()))
                .then()
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
