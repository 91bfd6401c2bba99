package dev.surge.order.flashsale;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The flash sales' Redis stock gate ({@code surge.flash-sales.*}).
 *
 * @param keyPrefix put before every gate key (tests give each class its own)
 * @param redisTimeout the longest a gate call may take; one that takes longer counts as Redis being away,
 *        and a buy-now of a sale sku is then refused with {@code 503} rather than let in unchecked (what
 *        the lost call may have taken is given back); also what every buy-now waits while Redis hangs
 * @param retryAfter the {@code Retry-After} of that {@code 503}
 * @param strandedAfter how long after the gate let a buy-now through its units count as stranded if
 *        PostgreSQL does not hold them (a checkout cut off on its way, an instance that died): longer
 *        than any checkout runs (the pool's acquire time plus the statement timeout, with room)
 * @param strandedCheck how often each instance looks for stranded units ({@link StrandedUnits})
 * @param waitingRoom the sales' waiting room
 */
@Validated
@ConfigurationProperties("surge.flash-sales")
public record FlashSaleProperties(
        @DefaultValue("orders:") @NotNull String keyPrefix,
        @DefaultValue("1s") @NotNull Duration redisTimeout,
        @DefaultValue("5s") @NotNull Duration retryAfter,
        @DefaultValue("30s") @NotNull Duration strandedAfter,
        @DefaultValue("5s") @NotNull Duration strandedCheck,
        @Valid @NotNull WaitingRoom waitingRoom) {

    /** The {@code 503 …/problems/flash-sale-paused} of a waiting-room request while Redis does not answer. */
    GatePaused paused(Throwable cause) {
        return new GatePaused("The flash sale's waiting room cannot be reached; try again shortly", retryAfter, cause);
    }

    /**
     * The waiting room ({@code surge.flash-sales.waiting-room.*}).
     *
     * @param required whether a sale's buy-now needs an admission token; off, the stock gate alone
     *        stands between buyers and the sale (a small sale that needs no queue)
     * @param tick how often each instance lets the next shoppers in and tells the waiting their place
     * @param admissionLifetime how long an admission may wait unused before its turn passes to the next shopper
     * @param heartbeat how often a quiet waiting-room stream gets a comment, so proxies never cut it
     * @param secret the key admission tokens are signed with, the same on every instance, at least 32
     *        characters; blank, each instance makes up a random one at start (one instance only)
     * @param adaptiveTargetP99 adaptive admission slows the pace while a sale's buy-nows take longer than this (p99)
     * @param adaptiveMaxInFlight ... or while more of them than this are in flight on one instance
     * @param maxStreams waiting-room streams one instance follows at most; beyond, {@code 503} with {@code Retry-After}
     *        (kept well below the process's file-descriptor limit)
     * @param positionUpdates how often at most a waiting shopper's stream is told its new position: the
     *        queue moves every tick, and ten events a second to each of thousands of streams would cost
     *        the instances and the gateways more than the shoppers gain; the turn, a pause and the end
     *        of the units are told at the next tick all the same
     */
    public record WaitingRoom(
            @DefaultValue("true") boolean required,
            @DefaultValue("100ms") @NotNull Duration tick,
            @DefaultValue("2m") @NotNull Duration admissionLifetime,
            @DefaultValue("15s") @NotNull Duration heartbeat,
            @DefaultValue("") @NotNull @Pattern(regexp = "|.{32,}", message = "must be blank or at least 32 characters")
            String secret,
            @DefaultValue("250ms") @NotNull Duration adaptiveTargetP99,
            @DefaultValue("64") int adaptiveMaxInFlight,
            @DefaultValue("8000") int maxStreams,
            @DefaultValue("1s") @NotNull Duration positionUpdates) {
    }
}
