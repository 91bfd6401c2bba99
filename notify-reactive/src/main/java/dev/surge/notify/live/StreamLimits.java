package dev.surge.notify.live;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.DigestUtils;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

import dev.surge.service.web.Conflict;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * How many streams may be open: at most {@code max-streams-per-shopper} per shopper across the whole shop
 * (a browser has six connections per origin: a page keeps one stream per tab), and {@code max-streams} on
 * this instance, kept below the file-descriptor limit so it never runs out of sockets for its database
 * and Kafka. Counted from the moment a stream is asked for (an opening that waits for its order holds its
 * place) until it ends.
 *
 * <p>The shopper's limit is counted twice: on this instance (checked first, it costs nothing) and in
 * Redis, shared by every instance: a sorted set per shopper ({@code streams:<userId>}) of one lease per
 * open stream, scored by the lease's expiry on Redis's clock. One script drops the expired leases,
 * refuses at the limit or adds the new one; open streams renew their leases every {@code lease-renewal},
 * and a stream that ends removes its own, so a crashed instance's streams stop counting within one
 * {@code stream-lease}. Redis away or slower than {@code redis-timeout}: the stream is let through on this
 * instance's count alone and counted in {@code surge.sse.limit.unchecked}.
 *
 * <p>Renewals and removals are batched and run in the background ({@link #renewals()}, {@link #releases()}),
 * never on a stream's own path. A removal is never lost to a race: a lease whose stream ended while its
 * acquire or renewal was under way is removed (again) after it, on the same connection, so after it.
 */
@Component
public class StreamLimits {

    private static final Logger log = LoggerFactory.getLogger(StreamLimits.class);

    /** How often ended streams' leases are removed from Redis: a place freed elsewhere is free this soon. */
    private static final Duration RELEASE_TICK = Duration.ofMillis(200);
    /** Leases per script call, and script calls side by side: 18,000 streams renew in 72 calls, 4 at a time. */
    private static final int BATCH = 250;
    private static final int CONCURRENCY = 4;
    /** Most removals one tick sends; the rest wait for the next. */
    private static final int RELEASES_PER_TICK = 10 * BATCH;
    /** A shopper's key outlives its newest lease by this much, so it goes away by itself once all have lapsed. */
    private static final Duration KEY_SLACK = Duration.ofSeconds(5);
    private static final Duration WARNING_INTERVAL = Duration.ofMinutes(1);

    /**
     * KEYS[1] the shopper's leases; ARGV[1] the new lease, ARGV[2] the limit, ARGV[3] the lease (ms),
     * ARGV[4] the key's lifetime (ms). 1 admitted, 0 refused. On Redis's clock, so instances' clocks
     * never disagree about an expiry.
     */
    private static final RedisScript<Long> ACQUIRE = LuaScript.of("""
            local clock = redis.call('TIME')
            local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
            redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
            if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then
              return 0
            end
            redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[1])
            if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[4]) then
              redis.call('PEXPIRE', KEYS[1], ARGV[4])
            end
            return 1""");

    /**
     * KEYS[i] the shopper of lease ARGV[i + 2]; ARGV[1] the lease (ms), ARGV[2] the key's lifetime (ms).
     * A lease Redis no longer holds (it lapsed, Redis lost its data, or the stream opened while Redis was
     * away) is added again: its stream is open, so it counts.
     */
    private static final RedisScript<Long> RENEW = LuaScript.of("""
            local clock = redis.call('TIME')
            local expiry = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000) + tonumber(ARGV[1])
            for i = 1, #KEYS do
              redis.call('ZADD', KEYS[i], expiry, ARGV[i + 2])
              if redis.call('PTTL', KEYS[i]) < tonumber(ARGV[2]) then
                redis.call('PEXPIRE', KEYS[i], ARGV[2])
              end
            end
            return #KEYS""");

    /** KEYS[i] the shopper of lease ARGV[i]. */
    private static final RedisScript<Long> RELEASE = LuaScript.of("""
            local removed = 0
            for i = 1, #KEYS do
              removed = removed + redis.call('ZREM', KEYS[i], ARGV[i])
            end
            return removed""");

    private final LiveStreamProperties settings;
    private final ReactiveStringRedisTemplate redis;
    private final String instance = UUID.randomUUID().toString();
    private final AtomicLong leases = new AtomicLong();
    private final AtomicInteger open = new AtomicInteger();
    private final Map<String, AtomicInteger> perShopper = new ConcurrentHashMap<>();
    /** Permits of open streams: their leases are renewed. */
    private final Set<Permit> openPermits = ConcurrentHashMap.newKeySet();
    /** Permits of ended streams whose leases are still to be removed from Redis. */
    private final Queue<Permit> ended = new ConcurrentLinkedQueue<>();
    private final AtomicLong lastWarning = new AtomicLong(System.nanoTime() - WARNING_INTERVAL.toNanos());
    private final Counter unchecked;
    private final Counter renewalFailures;
    private final Counter releaseFailures;

    StreamLimits(LiveStreamProperties settings, ReactiveStringRedisTemplate redis, MeterRegistry meters) {
        this.settings = settings;
        this.redis = redis;
        this.unchecked = Counter.builder("surge.sse.limit.unchecked")
                .description("Streams let through on this instance's per-shopper count alone: Redis did not answer in time")
                .register(meters);
        this.renewalFailures = leaseFailures(meters, "renew");
        this.releaseFailures = leaseFailures(meters, "release");
    }

    private static Counter leaseFailures(MeterRegistry meters, String operation) {
        return Counter.builder("surge.sse.lease.failures")
                .description("Stream leases Redis did not renew or remove in time (they lapse by themselves)")
                .tag("operation", operation)
                .register(meters);
    }

    /** A place for one more stream of {@code userId}, or a {@code 429} or {@code 503} problem. */
    public Mono<Permit> acquire(String userId) {
        return Mono.defer(() -> {
            if (open.incrementAndGet() > settings.maxStreams()) {
                open.decrementAndGet();
                return Mono.error(new InstanceFull(settings.retryAfter().toSeconds()));
            }
            AtomicInteger mine = perShopper.compute(userId, (id, count) -> {
                AtomicInteger held = count == null ? new AtomicInteger() : count;
                held.incrementAndGet();
                return held;
            });
            if (mine.get() > settings.maxStreamsPerShopper()) {
                releaseLocally(userId);
                return Mono.error(tooManyStreams());
            }
            Permit permit = new Permit(userId, instance + ":" + leases.incrementAndGet());
            return admittedShopWide(permit)
                    .flatMap(admitted -> admitted ? Mono.just(permit.hold()) : refused(permit))
                    .doOnCancel(permit::cancelWhilePending);
        });
    }

    /** Streams open on this instance. */
    public int open() {
        return open.get();
    }

    /**
     * Renews the leases of this instance's open streams every {@code lease-renewal}; a round that fails is
     * counted and the next one tries again. Run by {@code StreamLifecycle}.
     */
    Flux<Long> renewals() {
        return Flux.interval(settings.leaseRenewal())
                .onBackpressureDrop()
                .concatMap(tick -> renewAll(), 1);
    }

    /** Removes the leases of ended streams from Redis, every 200 ms. Run by {@code StreamLifecycle}. */
    Flux<Long> releases() {
        return Flux.interval(RELEASE_TICK)
                .onBackpressureDrop()
                .concatMap(tick -> releaseEnded(), 1);
    }

    private Mono<Boolean> admittedShopWide(Permit permit) {
        return redis.execute(ACQUIRE, List.of(key(permit)), List.of(permit.lease,
                        Integer.toString(settings.maxStreamsPerShopper()), millis(settings.streamLease()), keyLifetime()))
                .single()
                .map(answer -> answer == 1L)
                .timeout(settings.redisTimeout())
                // Redis away or slow: this instance's count alone decides (degrade, don't fail: a Redis outage
                // must not become a streams outage). The lease is renewed and removed like any other, so it
                // counts shop-wide again as soon as Redis answers
                .onErrorResume(failure -> {
                    unchecked.increment();
                    warn("checking the streams of a shopper", failure);
                    return Mono.just(true);
                });
    }

    private Mono<Permit> refused(Permit permit) {
        return Mono.fromRunnable(permit::discard)
                .then(Mono.error(tooManyStreams()));
    }

    private Conflict tooManyStreams() {
        return new Conflict("too-many-streams", HttpStatus.TOO_MANY_REQUESTS, "Too many streams",
                "At most " + settings.maxStreamsPerShopper() + " streams may be open at once; close one first.",
                Map.of("limit", settings.maxStreamsPerShopper()));
    }

    private Mono<Long> renewAll() {
        return Flux.fromIterable(openPermits)
                .filter(Permit::isHeld)
                .buffer(BATCH)
                .flatMap(this::renew, CONCURRENCY)
                .reduce(0L, Long::sum);
    }

    private Mono<Long> renew(List<Permit> batch) {
        List<String> arguments = new ArrayList<>(batch.size() + 2);
        arguments.add(millis(settings.streamLease()));
        arguments.add(keyLifetime());
        batch.forEach(permit -> arguments.add(permit.lease));
        return redis.execute(RENEW, batch.stream().map(this::key).toList(), arguments)
                .single()
                .timeout(settings.redisTimeout())
                // a stream that ended while its renewal was on the way must not be brought back by it
                .doOnNext(renewed -> batch.stream().filter(permit -> !permit.isHeld()).forEach(ended::add))
                // not renewed this round: the next one tries again, and a lease outlives two missed rounds
                .onErrorResume(failure -> {
                    renewalFailures.increment(batch.size());
                    warn("renewing stream leases", failure);
                    return Mono.just(0L);
                });
    }

    private Mono<Long> releaseEnded() {
        return Flux.<Permit>generate(sink -> {
                    Permit next = ended.poll();
                    if (next == null) {
                        sink.complete();
                    }
                    else {
                        sink.next(next);
                    }
                })
                .take(RELEASES_PER_TICK)
                .buffer(BATCH)
                .flatMap(this::release, CONCURRENCY)
                .reduce(0L, Long::sum);
    }

    private Mono<Long> release(List<Permit> batch) {
        return redis.execute(RELEASE, batch.stream().map(this::key).toList(), batch.stream().map(permit -> permit.lease).toList())
                .single()
                .timeout(settings.redisTimeout())
                // not tried again: a lease nobody renews lapses within stream-lease by itself
                .onErrorResume(failure -> {
                    releaseFailures.increment(batch.size());
                    warn("removing ended streams' leases", failure);
                    return Mono.just(0L);
                });
    }

    private String key(Permit permit) {
        return settings.keyPrefix() + "streams:" + permit.userId;
    }

    private String keyLifetime() {
        return millis(settings.streamLease().plus(KEY_SLACK));
    }

    private static String millis(Duration duration) {
        return Long.toString(duration.toMillis());
    }

    private void releaseLocally(String userId) {
        perShopper.computeIfPresent(userId, (id, count) -> count.decrementAndGet() == 0 ? null : count);
        open.decrementAndGet();
    }

    private void warn(String operation, Throwable failure) {
        long now = System.nanoTime();
        long last = lastWarning.get();
        if (now - last > WARNING_INTERVAL.toNanos() && lastWarning.compareAndSet(last, now)) {
            log.warn("Redis did not answer {} ({}); the streams limit counts per instance meanwhile (logged once a minute)",
                    operation, failure.toString());
        }
    }

    /**
     * One stream's place, on this instance and in Redis; given back once, however often {@link #release()}
     * is called. Pending while Redis is asked, then held, then released.
     */
    public final class Permit {

        private static final int PENDING = 0;
        private static final int HELD = 1;
        private static final int RELEASED = 2;

        private final String userId;
        private final String lease;
        private final AtomicInteger state = new AtomicInteger(PENDING);

        private Permit(String userId, String lease) {
            this.userId = userId;
            this.lease = lease;
        }

        /** Gives the place back here and, soon after, in Redis. */
        public void release() {
            if (state.getAndSet(RELEASED) != RELEASED) {
                releaseLocally(userId);
                openPermits.remove(this);
                ended.add(this);
            }
        }

        /**
         * Admitted: renewed from now on. Released meanwhile (the stream was cancelled in between), it leaves
         * the renewals again: either {@link #release()} sees it there or this sees the release.
         */
        private Permit hold() {
            if (state.compareAndSet(PENDING, HELD)) {
                openPermits.add(this);
                if (state.get() == RELEASED) {
                    openPermits.remove(this);
                }
            }
            return this;
        }

        /**
         * The stream went away before Redis answered: the local place now, the lease (which Redis may add
         * still) by a removal sent after the acquire.
         */
        private void cancelWhilePending() {
            if (state.compareAndSet(PENDING, RELEASED)) {
                releaseLocally(userId);
                ended.add(this);
            }
        }

        /** Refused by Redis: it added no lease, so only the local place goes back. */
        private void discard() {
            if (state.compareAndSet(PENDING, RELEASED)) {
                releaseLocally(userId);
            }
        }

        private boolean isHeld() {
            return state.get() == HELD;
        }
    }

    /**
     * A script whose SHA-1 is computed once. Spring's {@code DefaultRedisScript} takes a lock on every
     * {@code getSha1()} (its source might change), and streams opening side by side on event loops park on
     * it (BlockHound caught it: 200 acquires at once).
     */
    private record LuaScript(String text, String sha1) implements RedisScript<Long> {

        static LuaScript of(String text) {
            return new LuaScript(text, DigestUtils.sha1DigestAsHex(text));
        }

        @Override
        public String getSha1() {
            return sha1;
        }

        @Override
        public Class<Long> getResultType() {
            return Long.class;
        }

        @Override
        public String getScriptAsString() {
            return text;
        }
    }

    /** This instance holds all the streams it may: {@code 503} with {@code Retry-After}, try again (elsewhere). */
    public static final class InstanceFull extends RuntimeException {

        private final long retryAfterSeconds;

        InstanceFull(long retryAfterSeconds) {
            super("This instance holds all the streams it can; try again shortly.");
            this.retryAfterSeconds = retryAfterSeconds;
        }

        public long retryAfterSeconds() {
            return retryAfterSeconds;
        }
    }
}
