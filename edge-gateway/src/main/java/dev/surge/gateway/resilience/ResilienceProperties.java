package dev.surge.gateway.resilience;

import java.time.Duration;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/**
 * How the gateway shields shoppers from a failing service: a circuit breaker, a time limit and a
 * bulkhead per service (Resilience4j), and the last good answers it keeps in Redis to serve, marked
 * stale, while the service is away.
 *
 * @param breakers one per guarded service, under the name its routes give the
 *        {@code CircuitBreaker} filter, which is also the routes' {@code service} metadata
 * @param lastGood what is kept of good answers, and for how long
 */
@Validated
@ConfigurationProperties("surge.gateway.resilience")
record ResilienceProperties(@NotNull Map<String, @Valid Breaker> breakers, @Valid @DefaultValue LastGood lastGood) {

    ResilienceProperties {
        breakers = breakers == null ? Map.of() : Map.copyOf(breakers);
    }

    /** The settings of a service's breaker; a route naming a service without one is a configuration error. */
    Breaker breaker(String service) {
        Breaker breaker = breakers.get(service);
        if (breaker == null) {
            throw new IllegalStateException("no surge.gateway.resilience.breakers." + service + " settings");
        }
        return breaker;
    }

    /**
     * One service's breaker, time limiter and bulkhead.
     *
     * @param timeout longest wait for the service's response headers (TimeLimiter); a body already
     *        started streams on. Past it the call counts as failed and the shopper gets the stale
     *        copy or a 503 rather than a spinner
     * @param maxConcurrentCalls calls in flight to the service at once (semaphore bulkhead); one more
     *        is refused at once, never queued. It caps the sockets and memory a sick service can tie
     *        up, so it must sit well above healthy concurrency (throughput x latency)
     * @param slidingWindow the span, in whole seconds, the failure rate is measured over (time-based,
     *        so it means the same at 10 and at 10,000 requests per second)
     * @param minimumCalls calls within the window before the failure rate counts, so a couple of
     *        failures on a quiet night do not open the breaker
     * @param failureRateThreshold percentage of failed calls (errors, timeouts, 502/503/504 answers)
     *        that opens the breaker
     * @param waitInOpen how long an open breaker answers without calling the service before it lets
     *        probes through on its own; also the {@code Retry-After} a 503 carries
     * @param probesInHalfOpen calls let through when half open; when they are done and the failure
     *        rate among them is under the threshold the breaker closes, else it opens again
     * @param streaming the breaker guards Server-Sent Event streams: no time limit, which would cut
     *        a stream whose first event (and so its headers) comes late; {@code timeout} is then
     *        unused. The breaker's call, and a stream's bulkhead place, end with the response
     *        headers: the body streams on outside it, so the bulkhead bounds streams being opened,
     *        not streams open
     */
    record Breaker(
            @NotNull @DefaultValue("3s") Duration timeout,
            @Min(1) @DefaultValue("512") int maxConcurrentCalls,
            @NotNull @DefaultValue("10s") Duration slidingWindow,
            @Min(1) @DefaultValue("20") int minimumCalls,
            @DecimalMin("1") @DecimalMax("100") @DefaultValue("50") float failureRateThreshold,
            @NotNull @DefaultValue("10s") Duration waitInOpen,
            @Min(1) @DefaultValue("5") int probesInHalfOpen,
            @DefaultValue("false") boolean streaming) {

        int slidingWindowSeconds() {
            return (int) Math.max(1, slidingWindow.toSeconds());
        }

        /** Retry-After in whole seconds, rounded up: a client retrying then meets the first probes. */
        long retryAfterSeconds() {
            return Math.max(1, (waitInOpen.toMillis() + 999) / 1000);
        }
    }

    /**
     * The last good answers to public GETs, kept in Redis.
     *
     * @param ttl how long a copy lives after its last refresh: it bounds how old a stale answer can
     *        be and the Redis memory long-tail pages and searches take
     * @param refreshAfter one gateway instance rewrites a path's copy at most this often, so a hot
     *        product costs a Redis write per interval, not one per request
     * @param maxBodySize larger bodies stream through without being kept
     * @param redisTimeout longest a request waits on Redis to read or write a copy before going on
     *        without it
     * @param maxCopies the most copies kept at once, by all instances together; past it the oldest
     *        written goes
     * @param maxTotalSize the most bytes all copies take together (as stored, JSON with the body in
     *        base64); past it the oldest written go. With the count, what anyone can make the
     *        gateway store in the Redis that also holds the sessions
     */
    record LastGood(
            @NotNull @DefaultValue("1h") Duration ttl,
            @NotNull @DefaultValue("15s") Duration refreshAfter,
            @NotNull @DefaultValue("256KB") DataSize maxBodySize,
            @NotNull @DefaultValue("250ms") Duration redisTimeout,
            @Min(1) @DefaultValue("5000") int maxCopies,
            @NotNull @DefaultValue("64MB") DataSize maxTotalSize) {
    }
}
