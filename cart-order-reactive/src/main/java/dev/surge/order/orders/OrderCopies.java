package dev.surge.order.orders;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;

import dev.surge.order.copies.RedisCopies;
import dev.surge.service.web.Page;
import dev.surge.service.web.PageRequest;
import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Short-lived Redis copies of a shopper's orders: the first pages of "my orders" in one hash per
 * shopper ({@code orders:<userId>}, a field per {@code <page>:<size>}) and each order they open
 * ({@code order:<userId>:<orderId>}, so another shopper's id never meets a copy), both living
 * {@code surge.copies.orders-ttl} (30 s).
 *
 * <p>Every change of one of a shopper's orders, once committed, takes the next number of the
 * shopper's generation ({@code orders-generation:<userId>}) and drops the list and that order's
 * copy. A load reads the generation before it reads PostgreSQL, and writes its copy only while
 * that generation is still current, in one Lua call: a load that read an order before a change
 * committed cannot leave its stale copy behind the change's eviction. An eviction Redis misses
 * (away or slow) is retried until it gets through (see {@link RedisCopies#evict}).
 */
@Component
public class OrderCopies {

    static final String LIST = "orders";
    static final String ONE = "order";
    private static final TypeReference<Page<OrderView>> PAGE = new TypeReference<>() {
    };
    /** A load whose generation Redis did not answer: served, never written. */
    private static final String UNKNOWN = "";

    /**
     * KEYS[1] list hash, KEYS[2] generation; ARGV[1] field, ARGV[2] value, ARGV[3] generation read
     * before loading, ARGV[4] ttl ms. The hash's TTL is set by its first field only, so no page
     * lives longer than the TTL however many are added later.
     */
    private static final RedisScript<Long> WRITE_PAGE_IF_CURRENT = RedisScript.of("""
            if (redis.call('GET', KEYS[2]) or '0') ~= ARGV[3] then
              return 0
            end
            redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
            redis.call('PEXPIRE', KEYS[1], ARGV[4], 'NX')
            return 1""", Long.class);

    /** KEYS[1] generation, KEYS[2..n] copies to drop; ARGV[1] generation ttl ms (as long as a copy may live). */
    private static final RedisScript<Long> EVICT = RedisScript.of("""
            redis.call('INCR', KEYS[1])
            redis.call('PEXPIRE', KEYS[1], ARGV[1])
            local dropped = 0
            for i = 2, #KEYS do
              dropped = dropped + redis.call('DEL', KEYS[i])
            end
            return dropped""", Long.class);

    private final RedisCopies redis;
    private final JsonMapper json;

    OrderCopies(RedisCopies redis, JsonMapper json) {
        this.redis = redis;
        this.json = json;
    }

    /** A page of the shopper's orders: the copy, or the loader's page, copied when it is one of the first pages. */
    Mono<Page<OrderView>> page(String userId, PageRequest request, Supplier<Mono<Page<OrderView>>> loader) {
        if (request.page() >= redis.properties().cachedPages()
                || !redis.properties().cachedPageSizes().contains(request.size())) {
            return Mono.defer(loader);
        }
        String field = request.page() + ":" + request.size();
        return cached(LIST, userId, redis.hashGet(LIST, listKey(userId), field), value -> RedisCopies.readable(() -> json.readValue(value, PAGE)), loader,
                (page, seen) -> writePage(userId, field, page, seen));
    }

    /** One of the shopper's orders: the copy, or the loader's (empty for an unknown id or another shopper's: nothing copied). */
    Mono<OrderView> one(String userId, UUID id, Supplier<Mono<OrderView>> loader) {
        return cached(ONE, userId, redis.get(ONE, orderKey(userId, id)), value -> RedisCopies.readable(() -> json.readValue(value, OrderView.class)), loader,
                (order, seen) -> write(userId, order, seen));
    }

    /**
     * The copy Redis answered, or the loader's value written back under the generation read before
     * loading; with Redis not answering, the loader's value alone (no second wait for Redis).
     */
    private <T> Mono<T> cached(String cache, String userId, Mono<Optional<String>> read, Function<String, Optional<T>> parser,
            Supplier<Mono<T>> loader, BiFunction<T, String, Mono<Void>> writer) {
        return read.map(copy -> new Answer<>(copy.flatMap(parser), true))
                .defaultIfEmpty(new Answer<>(Optional.empty(), false))
                .flatMap(answer -> {
                    if (answer.copy().isPresent()) {
                        redis.countRead(cache, "hit");
                        return Mono.just(answer.copy().get());
                    }
                    redis.countRead(cache, answer.reachable() ? "miss" : "unavailable");
                    return answer.reachable()
                            ? generation(cache, userId).flatMap(seen -> Mono.defer(loader)
                                    .flatMap(value -> writer.apply(value, seen).thenReturn(value)))
                            : Mono.defer(loader);
                });
    }

    /**
     * What Redis answered for a copy.
     *
     * @param copy the copy, when there is a readable one
     * @param reachable whether Redis answered at all
     */
    private record Answer<T>(Optional<T> copy, boolean reachable) {
    }

    /** Drops the copies of the shopper's order list (call it once a new order has committed). */
    public Mono<Void> evictList(String userId) {
        return evict(userId, listKey(userId));
    }

    /** Drops the copies of the shopper's order list and of this order (call it once a change of it has committed). */
    public Mono<Void> evict(String userId, UUID orderId) {
        return evict(userId, listKey(userId), orderKey(userId, orderId));
    }

    /** {@link #evict(String, UUID)} once the caller's transaction commits. */
    public Mono<Void> evictAfterCommit(String userId, UUID orderId) {
        return RedisCopies.afterCommit(() -> evict(userId, orderId));
    }

    private Mono<Void> evict(String userId, String... copies) {
        List<String> keys = new ArrayList<>(List.of(generationKey(userId)));
        keys.addAll(List.of(copies));
        return redis.evict(LIST, EVICT, keys, List.of(Long.toString(redis.properties().ordersTtl().toMillis())));
    }

    /** The generation before loading; {@link #UNKNOWN} when Redis did not answer. */
    private Mono<String> generation(String cache, String userId) {
        return redis.get(cache, generationKey(userId))
                .map(value -> value.orElse("0"))
                .defaultIfEmpty(UNKNOWN);
    }

    private Mono<Void> writePage(String userId, String field, Page<OrderView> page, String seen) {
        if (UNKNOWN.equals(seen)) {
            return Mono.empty();
        }
        return Mono.fromCallable(() -> json.writeValueAsString(page))
                .flatMap(value -> redis.run(LIST, "write", WRITE_PAGE_IF_CURRENT, List.of(listKey(userId), generationKey(userId)),
                        List.of(field, value, seen, Long.toString(redis.properties().ordersTtl().toMillis()))))
                .then();
    }

    private Mono<Void> write(String userId, OrderView order, String seen) {
        if (UNKNOWN.equals(seen)) {
            return Mono.empty();
        }
        return Mono.fromCallable(() -> json.writeValueAsString(order))
                .flatMap(value -> redis.run(ONE, "write", RedisCopies.WRITE_IF_CURRENT,
                        List.of(orderKey(userId, order.id()), generationKey(userId)),
                        List.of(value, seen, Long.toString(redis.properties().ordersTtl().toMillis()))))
                .then();
    }

    private String listKey(String userId) {
        return redis.key(LIST, userId);
    }

    private String orderKey(String userId, UUID orderId) {
        return redis.key(ONE, userId, orderId.toString());
    }

    private String generationKey(String userId) {
        return redis.key("orders-generation", userId);
    }
}
