package dev.surge.catalog.cache;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The hottest cache entries once more, in this instance's memory, for {@code local-ttl} (1 s by
 * default): a product everyone is looking at is read from Redis once a second per instance instead
 * of once per request. A copy is the entry exactly as Redis held it (its bytes and entity tag).
 *
 * <p>An eviction in this instance drops every copy at once, so what this instance changed it shows
 * at once. Another instance's copies are not told: they show a change at most {@code local-ttl}
 * late, well inside the {@code max-age} that browsers are already allowed to keep a read for.
 *
 * <p>A read that fetched an entry from Redis before an eviction and keeps its copy after it would
 * show the old bytes for a whole {@code local-ttl}: every eviction therefore moves a generation on
 * before it drops the copies, and a copy is kept only if no eviction happened since its read began
 * (checked after it is stored, so an eviction between the check and the store cannot be missed).
 */
final class LocalCopies {

    private record Copy(CachedJson json, long expiresAt) {
    }

    private final ConcurrentHashMap<String, Copy> copies = new ConcurrentHashMap<>();
    private final AtomicLong generation = new AtomicLong();
    private final long ttlNanos;
    private final int limit;

    /** {@code ttl} zero keeps no copies at all. */
    LocalCopies(Duration ttl, int limit) {
        this.ttlNanos = ttl.toNanos();
        this.limit = limit;
    }

    boolean enabled() {
        return ttlNanos > 0;
    }

    /** The copy of {@code key}, or {@code null} when there is none or it has lived its time. */
    CachedJson get(String key) {
        Copy copy = copies.get(key);
        if (copy == null) {
            return null;
        }
        if (System.nanoTime() - copy.expiresAt() >= 0) {
            copies.remove(key, copy);
            return null;
        }
        return copy.json();
    }

    /** Taken before a read of Redis starts; {@link #keep} refuses its answer after an eviction. */
    long generation() {
        return generation.get();
    }

    /** Keeps a copy of what Redis answered to a read that began at {@code seen}. */
    void keep(String key, CachedJson json, long seen) {
        if (!enabled() || !room(key)) {
            return;
        }
        Copy copy = new Copy(json, System.nanoTime() + ttlNanos);
        copies.put(key, copy);
        if (generation.get() != seen) {
            copies.remove(key, copy);
        }
    }

    /** Drops every copy; reads that began before this keep none. */
    void evicted() {
        generation.incrementAndGet();
        copies.clear();
    }

    int size() {
        return copies.size();
    }

    private boolean room(String key) {
        if (copies.size() < limit || copies.containsKey(key)) {
            return true;
        }
        long now = System.nanoTime();
        copies.values().removeIf(copy -> now - copy.expiresAt() >= 0);
        return copies.size() < limit;
    }
}
