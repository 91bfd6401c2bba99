package dev.surge.order.flashsale;

import java.time.Duration;

/**
 * The stock gate cannot be asked (Redis away or too slow), and the request concerns a flash sale:
 * {@code 503} with {@code Retry-After}, since nobody is let into a sale unchecked.
 */
public final class GatePaused extends RuntimeException {

    private final Duration retryAfter;
    private final String type;
    private final String title;

    GatePaused(String detail, Duration retryAfter, Throwable cause) {
        this("flash-sale-paused", "Flash sale paused", detail, retryAfter, cause);
    }

    private GatePaused(String type, String title, String detail, Duration retryAfter, Throwable cause) {
        super(detail, cause, false, false);
        this.type = type;
        this.title = title;
        this.retryAfter = retryAfter;
    }

    /** This instance holds all the waiting-room streams it may: {@code 503}, try again (another instance may take it). */
    static GatePaused streamsFull(int streams, Duration retryAfter) {
        return new GatePaused("waiting-room-full", "Waiting room streams full",
                "This instance already follows " + streams + " waiting-room streams; your place is kept, try again shortly",
                retryAfter, null);
    }

    String type() {
        return type;
    }

    String title() {
        return title;
    }

    Duration retryAfter() {
        return retryAfter;
    }
}
