package dev.surge.notify.live;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

import dev.surge.service.web.Conflict;
import reactor.core.publisher.Mono;

/**
 * How many streams this instance holds: at most {@code max-streams-per-shopper} per shopper (a browser
 * has six connections per origin: a page keeps one stream per tab), and {@code max-streams} in all, kept
 * below the file-descriptor limit so the instance never runs out of sockets for its database and Kafka.
 * Counted from the moment a stream is asked for (an opening that waits for its order holds its place)
 * until it ends. Per instance: a shopper spread over N instances could hold N times as many.
 */
@Component
public class StreamLimits {

    private final LiveStreamProperties settings;
    private final AtomicInteger open = new AtomicInteger();
    private final Map<String, AtomicInteger> perShopper = new ConcurrentHashMap<>();

    StreamLimits(LiveStreamProperties settings) {
        this.settings = settings;
    }

    /** A place for one more stream of {@code userId}, or a {@code 429} or {@code 503} problem. */
    public Mono<Permit> acquire(String userId) {
        return Mono.defer(() -> {
            if (open.incrementAndGet() > settings.maxStreams()) {
                open.decrementAndGet();
                return Mono.error(new InstanceFull(settings.retryAfter().toSeconds()));
            }
            AtomicInteger mine = perShopper.compute(userId, (id, count) -> {
                AtomicInteger held = count == null ? new AtomicInteger() : count;
                held.incrementAndGet();
                return held;
            });
            if (mine.get() > settings.maxStreamsPerShopper()) {
                release(userId);
                return Mono.error(new Conflict("too-many-streams", HttpStatus.TOO_MANY_REQUESTS, "Too many streams",
                        "At most " + settings.maxStreamsPerShopper() + " streams may be open at once; close one first.",
                        Map.of("limit", settings.maxStreamsPerShopper())));
            }
            return Mono.just(new Permit(userId));
        });
    }

    /** Streams open on this instance. */
    public int open() {
        return open.get();
    }

    private void release(String userId) {
        perShopper.computeIfPresent(userId, (id, count) -> count.decrementAndGet() == 0 ? null : count);
        open.decrementAndGet();
    }

    /** One stream's place; given back once, however often {@link #release()} is called. */
    public final class Permit {

        private final String userId;
        private final AtomicBoolean released = new AtomicBoolean();

        private Permit(String userId) {
            this.userId = userId;
        }

        public void release() {
            if (released.compareAndSet(false, true)) {
                StreamLimits.this.release(userId);
            }
        }
    }

    /** This instance holds all the streams it may: {@code 503} with {@code Retry-After}, try again (elsewhere). */
    public static final class InstanceFull extends RuntimeException {

        private final long retryAfterSeconds;

        InstanceFull(long retryAfterSeconds) {
            super("This instance holds all the streams it can; try again shortly.");
            this.retryAfterSeconds = retryAfterSeconds;
        }

        public long retryAfterSeconds() {
            return retryAfterSeconds;
        }
    }
}
