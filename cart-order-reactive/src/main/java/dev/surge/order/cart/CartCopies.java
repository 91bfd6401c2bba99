package dev.surge.order.cart;

import java.util.List;
import java.util.Optional;

import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;

import dev.surge.order.copies.RedisCopies;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Redis copy of each signed-in cart's stored lines ({@code cart:<userId>}, value
 * {@code <version>|<json>}). Only the lines are copied, never what the view prices now (names,
 * prices, stock), which change without the cart changing.
 *
 * <p>A copy is served only when its version equals the cart's version in PostgreSQL, read beside
 * it on every view: every change bumps that version in its own transaction, including checkout
 * emptying the cart, so a copy that missed an eviction (Redis away, a change made by SQL) is never
 * served, however long it lives. A write never replaces a copy of a later version, so a slow load
 * cannot push a newer copy out.
 */
@Component
public class CartCopies {

    static final String CACHE = "cart";

    /** KEYS[1] copy; ARGV[1] version, ARGV[2] value, ARGV[3] ttl ms. */
    private static final RedisScript<Long> WRITE_UNLESS_NEWER = RedisScript.of("""
            local held = redis.call('GET', KEYS[1])
            if held then
              local version = tonumber(string.match(held, '^(%d+)|'))
              if version and version > tonumber(ARGV[1]) then
                return 0
              end
            end
            redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
            return 1""", Long.class);

    private static final RedisScript<Long> DELETE = RedisScript.of("return redis.call('DEL', KEYS[1])", Long.class);

    private final RedisCopies redis;
    private final JsonMapper json;

    CartCopies(RedisCopies redis, JsonMapper json) {
        this.redis = redis;
        this.json = json;
    }

    /**
     * The cart as it is now: its copy when the copy's version is {@code currentVersion}, else the
     * loader's snapshot, copied for the next read.
     */
    Mono<CartSnapshot> current(String userId, Mono<Long> currentVersion, Mono<CartSnapshot> loader) {
        return Mono.zip(copy(userId), currentVersion)
                .flatMap(state -> {
                    Copy copy = state.getT1();
                    if (copy.snapshot() != null && copy.snapshot().version() == state.getT2()) {
                        redis.countRead(CACHE, "hit");
                        return Mono.just(copy.snapshot());
                    }
                    redis.countRead(CACHE, !copy.reachable() ? "unavailable" : copy.snapshot() == null ? "miss" : "stale");
                    return copy.reachable()
                            ? loader.flatMap(loaded -> put(userId, loaded).thenReturn(loaded))
                            : loader;
                });
    }

    /** Copies this snapshot, unless a later version is copied already. */
    Mono<Void> put(String userId, CartSnapshot snapshot) {
        return Mono.fromCallable(() -> snapshot.version() + "|" + json.writeValueAsString(snapshot))
                .flatMap(value -> redis.run(CACHE, "write", WRITE_UNLESS_NEWER, List.of(key(userId)),
                        List.of(Long.toString(snapshot.version()), value,
                                Long.toString(redis.properties().cartTtl().toMillis()))))
                .then();
    }

    /**
     * Drops the shopper's cart copy. Checkout empties the cart in SQL and the version check already
     * keeps the copy from being served; this frees the memory at once.
     */
    public Mono<Void> evict(String userId) {
        return redis.evict(CACHE, DELETE, List.of(key(userId)), List.of());
    }

    /** {@link #evict} once the caller's transaction commits (call it inside the transaction). */
    public Mono<Void> evictAfterCommit(String userId) {
        return RedisCopies.afterCommit(() -> evict(userId));
    }

    private Mono<Copy> copy(String userId) {
        return redis.get(CACHE, key(userId))
                .map(value -> new Copy(value.flatMap(this::parse).orElse(null), true))
                .defaultIfEmpty(new Copy(null, false));
    }

    private Optional<CartSnapshot> parse(String value) {
        return RedisCopies.readable(() -> json.readValue(value.substring(value.indexOf('|') + 1), CartSnapshot.class));
    }

    private String key(String userId) {
        return redis.key(CACHE, userId);
    }

    /**
     * What Redis answered.
     *
     * @param snapshot the copy, or {@code null} when there is none
     * @param reachable whether Redis answered at all
     */
    private record Copy(CartSnapshot snapshot, boolean reachable) {
    }
}
