package dev.surge.notify.live;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/**
 * The Server-Sent Event streams of shoppers ({@code /api/orders/…/events}) and ops ({@code /api/ops/…}).
 *
 * @param heartbeat            a comment is written this often on every stream, so no idle timeout (the
 *                             gateway's, a proxy's, a load balancer's: 60 s is common) cuts a quiet one
 * @param retry                the {@code retry:} hint: how long a browser waits before it reconnects
 * @param bufferSize           events one client may have waiting (written to the socket or not yet taken
 *                             by it); one more and its connection is closed, and it resumes with
 *                             {@code Last-Event-ID}. Rounded up to a power of two, at least 8
 *                             (Reactor's bounded queues)
 * @param maxStreamsPerShopper streams one shopper may hold open across all instances (counted in Redis, and
 *                             on each instance too, so a Redis outage falls back to this many per
 *                             instance); more is {@code 429}
 * @param maxStreams           streams this instance holds at most, below its file-descriptor limit; more
 *                             is {@code 503} with {@code Retry-After}
 * @param retryAfter           the {@code Retry-After} of that {@code 503}
 * @param orderWait            how long a stream of an order notify has not seen yet waits for it before
 *                             the {@code 404} (the confirmation page subscribes right after checkout's
 *                             {@code 201}, usually before the order's first event is here)
 * @param snapshotLimit        most orders in the snapshot of {@code /api/orders/events} (the newest)
 * @param retention            how long a shopper's changes are kept for a {@code Last-Event-ID} resume;
 *                             an older id gets a fresh snapshot that says so
 * @param cleanupInterval      how often changes older than that are deleted
 * @param listenerPing         the connection that listens for changes is checked this often, so a dead
 *                             one is noticed and opened again
 * @param streamLease          how long one stream's place in Redis counts without being renewed: a crashed
 *                             instance's streams stop counting this long after its last renewal
 * @param leaseRenewal         how often an instance renews the leases of its open streams; at most half the
 *                             lease, so one missed round never drops a live stream's place
 * @param redisTimeout         the longest a Redis call of the limit may take; one that takes longer counts
 *                             as Redis being away (the stream is let through on this instance's count)
 * @param keyPrefix            put before every Redis key of the limit ({@code streams:<userId>}); tests give
 *                             each class its own
 */
@Validated
@ConfigurationProperties("surge.live")
public record LiveStreamProperties(
        @DefaultValue("15s") @NotNull Duration heartbeat,
        @DefaultValue("3s") @NotNull Duration retry,
        @DefaultValue("64") @Min(1) @Max(4096) int bufferSize,
        @DefaultValue("10") @Min(1) int maxStreamsPerShopper,
        @DefaultValue("18000") @Min(1) int maxStreams,
        @DefaultValue("5s") @NotNull Duration retryAfter,
        @DefaultValue("5s") @NotNull Duration orderWait,
        @DefaultValue("100") @Min(1) @Max(1000) int snapshotLimit,
        @DefaultValue("1d") @NotNull Duration retention,
        @DefaultValue("10m") @NotNull Duration cleanupInterval,
        @DefaultValue("30s") @NotNull Duration listenerPing,
        @DefaultValue("60s") @NotNull Duration streamLease,
        @DefaultValue("20s") @NotNull Duration leaseRenewal,
        @DefaultValue("500ms") @NotNull Duration redisTimeout,
        @DefaultValue("notify:") @NotNull String keyPrefix) {

    public LiveStreamProperties {
        if (streamLease != null && leaseRenewal != null && leaseRenewal.multipliedBy(2).compareTo(streamLease) > 0) {
            throw new IllegalArgumentException("surge.live.lease-renewal must be at most half of surge.live.stream-lease, "
                    + "so one missed renewal never drops a live stream's place: " + leaseRenewal + " / " + streamLease);
        }
    }
}
