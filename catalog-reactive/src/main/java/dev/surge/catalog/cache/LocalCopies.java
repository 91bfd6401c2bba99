package dev.surge.catalog.cache;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The hottest cache entries once more, in this instance's memory, for {@code local-ttl} (1 s by
 * default): a product everyone is looking at is read from Redis once a second per instance instead
 * of once per request. A copy is the entry exactly as Redis held it (its bytes and entity tag). At
 * most {@code local-entries} copies of at most {@code local-bytes} in all are kept: anyone can ask
 * for ten thousand different searches, and none of them may cost the heap more than that.
 *
 * <p>An eviction in this instance drops every copy at once, so what this instance changed it shows
 * at once. Another instance's copies are not told: they show a change at most {@code local-ttl}
 * late, well inside the {@code max-age} that browsers are already allowed to keep a read for.
 *
 * <p>A read that fetched an entry from Redis before an eviction and keeps its copy after it would
 * show the old bytes for a whole {@code local-ttl}: an eviction therefore starts a new generation of
 * copies, and a read keeps its copy in the generation it began in, which nobody reads any more once
 * an eviction replaced it.
 */
final class LocalCopies {

    private record Copy(CachedJson json, long expiresAt, int size) {
    }

    /** The copies since the last eviction and what they hold; an eviction starts a new one. */
    static final class Generation {
        final ConcurrentHashMap<String, Copy> copies = new ConcurrentHashMap<>();
        final AtomicLong bytes = new AtomicLong();
        final AtomicLong nextSweep = new AtomicLong(System.nanoTime());
    }

    private volatile Generation store = new Generation();
    private final long ttlNanos;
    private final int entries;
    private final long bytes;

    /** {@code ttl} zero keeps no copies at all. */
    LocalCopies(Duration ttl, int entries, long bytes) {
        this.ttlNanos = ttl.toNanos();
        this.entries = entries;
        this.bytes = bytes;
    }

    boolean enabled() {
        return ttlNanos > 0;
    }

    /** The copy of {@code key}, or {@code null} when there is none or it has lived its time. */
    CachedJson get(String key) {
        Generation current = store;
        Copy copy = current.copies.get(key);
        if (copy == null) {
            return null;
        }
        if (System.nanoTime() - copy.expiresAt() >= 0) {
            remove(current, key, copy);
            return null;
        }
        return copy.json();
    }

    /** Taken before a read of Redis starts: {@link #keep} keeps its answer there, unseen after an eviction. */
    Generation generation() {
        return store;
    }

    /** Keeps a copy of what Redis answered to a read that began at {@code seen}. */
    void keep(String key, CachedJson json, Generation seen) {
        if (!enabled()) {
            return;
        }
        int size = json.bytes().length;
        if (!room(seen, key, size)) {
            return;
        }
        Copy copy = new Copy(json, System.nanoTime() + ttlNanos, size);
        Copy previous = seen.copies.put(key, copy);
        seen.bytes.addAndGet(size - (previous == null ? 0 : previous.size()));
    }

    /** Drops every copy; reads that began before this keep none. */
    void evicted() {
        store = new Generation();
    }

    int size() {
        return store.copies.size();
    }

    long bytes() {
        return store.bytes.get();
    }

    private boolean room(Generation current, String key, int size) {
        if (fits(current, size) || current.copies.containsKey(key)) {
            return true;
        }
        // full: the copies that lived their time go, in one pass at most once a lifetime, so a stream
        // of new keys into a full store does not walk all of it on every read
        long now = System.nanoTime();
        long next = current.nextSweep.get();
        if (now - next >= 0 && current.nextSweep.compareAndSet(next, now + ttlNanos)) {
            current.copies.forEach((expiring, copy) -> {
                if (now - copy.expiresAt() >= 0) {
                    remove(current, expiring, copy);
                }
            });
        }
        return fits(current, size);
    }

    private boolean fits(Generation current, int size) {
        return current.copies.size() < entries && current.bytes.get() + size <= bytes;
    }

    private static void remove(Generation current, String key, Copy copy) {
        if (current.copies.remove(key, copy)) {
            current.bytes.addAndGet(-copy.size());
        }
    }
}
