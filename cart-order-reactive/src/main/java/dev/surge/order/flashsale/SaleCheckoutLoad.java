package dev.surge.order.flashsale;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Mono;

/**
 * What this instance's checkout sustains of flash-sale buy-nows, the signal of adaptive admission:
 * how many are in flight now, and the 99th percentile of how long they took over the last second.
 * A waiting room steering its pace asks {@link #verdict()} on every tick of every sale, and on every
 * shopper's join: slow it down while checkout struggles (p99 above the target, or more in flight than
 * the target allows), speed it up otherwise. The in-flight count is read each time; the p99 (a sort
 * of up to a second's durations, under the lock that every ending buy-now takes) is worked out at
 * most once a tick, so thousands of joins a second do not sort thousands of times.
 */
@Component
public class SaleCheckoutLoad {

    /** How many of the latest durations are kept; at a few thousand buy-nows a second, about a second's worth. */
    private static final int KEPT = 4_096;
    private static final long WINDOW_NANOS = Duration.ofSeconds(1).toNanos();

    /** What the pace should do. */
    public enum Verdict {
        /** Checkout keeps up: more shoppers may come in. */
        UP,
        /** Checkout struggles: fewer. */
        DOWN
    }

    private final AtomicInteger inFlight = new AtomicInteger();
    private final long[] endedAt = new long[KEPT];
    private final long[] took = new long[KEPT];
    private final LongSupplier clock;
    private final FlashSaleProperties.WaitingRoom settings;
    private int next;
    private int count;
    /** The latest p99 worked out and when (clock nanos); {@code p99At} is {@code Long.MIN_VALUE} before the first. */
    private volatile long p99;
    private volatile long p99At = Long.MIN_VALUE;

    @Autowired
    SaleCheckoutLoad(FlashSaleProperties properties) {
        this(properties.waitingRoom(), System::nanoTime);
    }

    SaleCheckoutLoad(FlashSaleProperties.WaitingRoom settings, LongSupplier clock) {
        this.settings = settings;
        this.clock = clock;
    }

    /** The checkout, measured when it is a flash sale's buy-now ({@code measured}), else as it is. */
    public <T> Mono<T> measure(boolean measured, Mono<T> checkout) {
        if (!measured) {
            return checkout;
        }
        return Mono.defer(() -> {
            long started = clock.getAsLong();
            inFlight.incrementAndGet();
            return checkout.doFinally(signal -> {
                inFlight.decrementAndGet();
                ended(started);
            });
        });
    }

    private synchronized void ended(long started) {
        long now = clock.getAsLong();
        endedAt[next] = now;
        took[next] = now - started;
        next = (next + 1) % KEPT;
        count = Math.min(count + 1, KEPT);
    }

    /** The 99th percentile of the buy-nows that ended in the last second (nearest rank); 0 when none did. */
    synchronized long p99Nanos() {
        long since = clock.getAsLong() - WINDOW_NANOS;
        long[] recent = new long[count];
        int found = 0;
        for (int i = 0; i < count; i++) {
            if (endedAt[i] >= since) {
                recent[found++] = took[i];
            }
        }
        if (found == 0) {
            return 0;
        }
        Arrays.sort(recent, 0, found);
        return recent[(int) Math.ceil(0.99 * found) - 1];
    }

    int inFlight() {
        return inFlight.get();
    }

    /**
     * Down while the p99 (at most a tick old) is above the target or more are in flight than allowed;
     * up otherwise.
     */
    Verdict verdict() {
        return recentP99Nanos() > settings.adaptiveTargetP99().toNanos() || inFlight() > settings.adaptiveMaxInFlight()
                ? Verdict.DOWN
                : Verdict.UP;
    }

    private long recentP99Nanos() {
        long now = clock.getAsLong();
        long at = p99At;
        if (at == Long.MIN_VALUE || now - at >= settings.tick().toNanos()) {
            // two callers at once may both work it out: the same answer, and no lock held for it
            p99 = p99Nanos();
            p99At = now;
        }
        return p99;
    }
}
