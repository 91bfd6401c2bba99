package dev.surge.gateway.resilience;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which copies this instance wrote lately, so a hot path is rewritten once per refresh interval
 * rather than on every request. A memo, not state: losing it (restart, or the clear when it grows
 * past its bound) only costs one extra write per path.
 */
final class RecentWrites {

    /** Bounds the memo under a long tail of paths; well above the hot set that matters. */
    private static final int MAX_REMEMBERED = 10_000;

    private final Map<String, Long> lastWrite = new ConcurrentHashMap<>();
    private final Duration refreshAfter;
    private final Clock clock;

    RecentWrites(Duration refreshAfter, Clock clock) {
        this.refreshAfter = refreshAfter;
        this.clock = clock;
    }

    /** True, and remembered, if this instance has not written the key within the refresh interval. */
    boolean claim(String key) {
        long now = clock.millis();
        Long previous = lastWrite.get(key);
        if (previous != null && now - previous < refreshAfter.toMillis()) {
            return false;
        }
        if (lastWrite.size() >= MAX_REMEMBERED) {
            lastWrite.clear();
        }
        // two requests racing here may both write: the same body twice, harmless
        lastWrite.put(key, now);
        return true;
    }
}
