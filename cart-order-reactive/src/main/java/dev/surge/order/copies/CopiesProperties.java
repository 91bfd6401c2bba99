package dev.surge.order.copies;

import java.time.Duration;
import java.util.Set;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The disposable Redis copies of carts and orders ({@code surge.copies.*}). Every copy has a TTL
 * and a bounded size, so Redis may drop any of them at any time; PostgreSQL stays the truth.
 *
 * @param keyPrefix put before every key (tests give each class its own)
 * @param redisTimeout the longest any Redis call may take before the request is answered from PostgreSQL
 * @param cartTtl how long a cart's copy lives without a change (it is checked against the cart's version
 *        on every read, so its TTL only bounds memory, never staleness)
 * @param ordersTtl how long a copy of "my orders" (a page) or of one order lives; also the longest a
 *        change whose eviction Redis missed (Redis away at that moment) can stay unseen
 * @param cachedPages only pages {@code 0 .. cachedPages - 1} of "my orders" are copied
 * @param cachedPageSizes only these page sizes of "my orders" are copied (the sizes the shop asks for)
 * @param evictionRetryInterval how often evictions Redis missed are tried again
 */
@Validated
@ConfigurationProperties("surge.copies")
public record CopiesProperties(
        @DefaultValue("orders:") @NotNull String keyPrefix,
        @DefaultValue("250ms") @NotNull Duration redisTimeout,
        @DefaultValue("30m") @NotNull Duration cartTtl,
        @DefaultValue("30s") @NotNull Duration ordersTtl,
        @DefaultValue("3") @Min(0) @Max(20) int cachedPages,
        @DefaultValue({"10", "20"}) @NotEmpty Set<@Min(1) @Max(100) Integer> cachedPageSizes,
        @DefaultValue("1s") @NotNull Duration evictionRetryInterval) {
}
