package dev.surge.gateway.ratelimit;

import java.time.Duration;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/**
 * Per-client rate limits, by name; a route applies one with {@code LimitRequestRate=<name>}.
 *
 * @param limits the named limits
 * @param redisTimeout longest a request waits for its bucket in Redis; past it the request is let
 *        through unchecked, as when Redis is down
 */
@Validated
@ConfigurationProperties("surge.gateway.rate-limit")
record RateLimitProperties(@NotNull Map<String, @Valid Limit> limits, @NotNull @DefaultValue("250ms") Duration redisTimeout) {

    RateLimitProperties {
        limits = limits == null ? Map.of() : Map.copyOf(limits);
    }

    Limit limit(String name) {
        Limit limit = limits.get(name);
        if (limit == null) {
            throw new IllegalStateException("no surge.gateway.rate-limit.limits." + name + " settings");
        }
        return limit;
    }

    /**
     * A token bucket per client.
     *
     * @param replenishPerSecond tokens added per second: the sustained request rate a client gets
     * @param burstCapacity the bucket's size: how many requests a client may make at once after a pause
     */
    record Limit(
            @DecimalMin("0.001") @DefaultValue("10") double replenishPerSecond,
            @Min(1) @DefaultValue("20") int burstCapacity) {
    }
}
