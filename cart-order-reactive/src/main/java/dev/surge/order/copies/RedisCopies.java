package dev.surge.order.copies;

import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;
import org.springframework.transaction.NoTransactionException;
import org.springframework.transaction.reactive.TransactionSynchronization;
import org.springframework.transaction.reactive.TransactionSynchronizationManager;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;

/**
 * The Redis side of the cart and order copies, written once: every call has the short
 * {@code surge.copies.redis-timeout}, and a call Redis does not answer in time is counted
 * ({@code surge.copies.redis.failures}, by cache and operation) and answered as "no Redis", never
 * as an error, so the request goes to PostgreSQL. Reads are counted by outcome
 * ({@code surge.copies.reads}: {@code hit}, {@code miss}, {@code stale}, {@code unavailable}).
 * An eviction Redis missed is kept (up to {@value #MISSED_LIMIT}) and retried every
 * {@code surge.copies.eviction-retry-interval} until Redis takes it.
 */
@Component
public class RedisCopies {

    /**
     * Writes a copy only while the generation its load read first is still current. KEYS[1] copy,
     * KEYS[2] generation; ARGV[1] value, ARGV[2] generation read before loading (absent = "0"), ARGV[3] ttl ms.
     */
    public static final RedisScript<Long> WRITE_IF_CURRENT = RedisScript.of("""
            if (redis.call('GET', KEYS[2]) or '0') ~= ARGV[2] then
              return 0
            end
            redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[3])
            return 1""", Long.class);

    private static final Logger log = LoggerFactory.getLogger(RedisCopies.class);

    /** Most missed evictions kept for a retry; past it they are dropped (counted) and the TTL bounds them. */
    static final int MISSED_LIMIT = 10_000;
    /** Most missed evictions one retry round runs. */
    private static final int RETRY_BATCH = 200;

    private final ReactiveStringRedisTemplate redis;
    private final MeterRegistry meters;
    private final CopiesProperties properties;
    private final Deque<Eviction> missed = new ConcurrentLinkedDeque<>();
    private final AtomicInteger missedCount = new AtomicInteger();

    RedisCopies(ReactiveStringRedisTemplate redis, MeterRegistry meters, CopiesProperties properties) {
        this.redis = redis;
        this.meters = meters;
        this.properties = properties;
        Gauge.builder("surge.copies.evictions.missed", missedCount, AtomicInteger::get)
                .description("evictions Redis missed, waiting for a retry")
                .register(meters);
    }

    public CopiesProperties properties() {
        return properties;
    }

    /** {@code surge.copies.key-prefix} followed by the parts, colon-separated. */
    public String key(String... parts) {
        return properties.keyPrefix() + String.join(":", parts);
    }

    /** The value, {@code Optional.empty()} when there is none; an empty {@code Mono} when Redis did not answer. */
    public Mono<Optional<String>> get(String cache, String key) {
        return answered(cache, "read", redis.opsForValue().get(key));
    }

    /** A field of a hash, like {@link #get}. */
    public Mono<Optional<String>> hashGet(String cache, String key, String field) {
        return answered(cache, "read", redis.<String, String>opsForHash().get(key, field));
    }

    /** Runs a script; an empty {@code Mono} when Redis did not answer. */
    public Mono<Long> run(String cache, String operation, RedisScript<Long> script, List<String> keys, List<String> args) {
        return redis.execute(script, keys, args)
                .next()
                .timeout(properties.redisTimeout())
                // a write or eviction Redis missed: the copy is not written, or lives out its TTL
                .onErrorResume(failure -> failed(cache, operation, failure));
    }

    /**
     * Runs an eviction script; one Redis misses (away or slow) is kept and retried by
     * {@link #retryMissed} until Redis takes it, so a copy from before an outage does not live out its
     * TTL. Running an eviction late is always safe: it only drops copies and refuses loads in flight.
     */
    public Mono<Void> evict(String cache, RedisScript<Long> script, List<String> keys, List<String> args) {
        Eviction eviction = new Eviction(cache, script, List.copyOf(keys), List.copyOf(args));
        return execute(eviction)
                .onErrorResume(failure -> {
                    remember(eviction);
                    return failed(cache, "evict", failure);
                });
    }

    /** Runs the missed evictions, oldest first, until one fails again (Redis still away) or a round's batch is done. */
    Mono<Integer> retryMissed() {
        return retryMissed(0);
    }

    private Mono<Integer> retryMissed(int done) {
        Eviction next = done < RETRY_BATCH ? missed.pollFirst() : null;
        if (next == null) {
            return Mono.just(done);
        }
        missedCount.decrementAndGet();
        return execute(next)
                .then(Mono.defer(() -> retryMissed(done + 1)))
                // still away: it goes back to the head of the line for the next round
                .onErrorResume(failure -> Mono.fromSupplier(() -> {
                    missed.offerFirst(next);
                    missedCount.incrementAndGet();
                    return done;
                }));
    }

    private Mono<Void> execute(Eviction eviction) {
        return redis.execute(eviction.script(), eviction.keys(), eviction.args())
                .next()
                .timeout(properties.redisTimeout())
                .then();
    }

    private void remember(Eviction eviction) {
        if (missedCount.incrementAndGet() > MISSED_LIMIT) {
            missedCount.decrementAndGet();
            meters.counter("surge.copies.evictions.dropped", "cache", eviction.cache()).increment();
            return;
        }
        missed.offerLast(eviction);
    }

    /** An eviction to run again. */
    private record Eviction(String cache, RedisScript<Long> script, List<String> keys, List<String> args) {
    }

    /** Counts one read of a copy by its outcome. */
    public void countRead(String cache, String result) {
        meters.counter("surge.copies.reads", "cache", cache, "result", result).increment();
    }

    /**
     * Runs the action once the caller's transaction has committed (right away without one): an
     * eviction before the commit could be undone by a read of the old rows in between.
     */
    public static Mono<Void> afterCommit(Supplier<Mono<Void>> action) {
        return TransactionSynchronizationManager.forCurrentTransaction()
                .flatMap(transaction -> {
                    if (!transaction.isSynchronizationActive()) {
                        return Mono.defer(action);
                    }
                    transaction.registerSynchronization(new TransactionSynchronization() {
                        @Override
                        public Mono<Void> afterCommit() {
                            return Mono.defer(action);
                        }
                    });
                    return Mono.<Void>empty();
                })
                .onErrorResume(NoTransactionException.class, none -> Mono.defer(action));
    }

    /** The copy read back; empty when it does not read (a copy of another shape, from an older release): a miss. */
    public static <T> Optional<T> readable(Supplier<T> read) {
        try {
            return Optional.ofNullable(read.get());
        }
        catch (JacksonException unreadable) {
            return Optional.empty();
        }
    }

    private <T> Mono<Optional<T>> answered(String cache, String operation, Mono<T> call) {
        return call.map(Optional::of)
                .defaultIfEmpty(Optional.empty())
                .timeout(properties.redisTimeout())
                // Redis down or slow: the caller reads PostgreSQL instead
                .onErrorResume(failure -> failed(cache, operation, failure));
    }

    private <T> Mono<T> failed(String cache, String operation, Throwable failure) {
        meters.counter("surge.copies.redis.failures", "cache", cache, "operation", operation).increment();
        log.warn("Redis copy {} of {} skipped: {}", operation, cache, failure.toString());
        return Mono.empty();
    }
}
