package dev.surge.messaging;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts a service reports in its vital signs, each as the number since the previous vital signs
 * (so a reader adds up the instances' counts per second), e.g. cart-order's out-of-stock refusals.
 * Safe to call from any thread; an increment never blocks.
 */
public class VitalSignsCounters {

    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

    /** Counts one of {@code name}. */
    public void increment(String name) {
        counts.computeIfAbsent(name, key -> new LongAdder()).increment();
    }

    /**
     * Every count since the previous call, each reset to zero (a name once counted stays listed,
     * at zero, so a reader sees the count exists). Increments racing a drain go to this drain or the next.
     */
    Map<String, Long> drain() {
        Map<String, Long> drained = new TreeMap<>();
        counts.forEach((name, count) -> drained.put(name, count.sumThenReset()));
        return drained;
    }
}
