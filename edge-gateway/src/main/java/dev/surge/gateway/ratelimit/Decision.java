package dev.surge.gateway.ratelimit;

import java.time.Duration;

/**
 * What a bucket said about one request.
 *
 * @param allowed whether the request may go on
 * @param remaining whole tokens left after it, or -1 when the bucket could not be asked
 * @param retryAfter when a refused request would be allowed
 */
record Decision(boolean allowed, long remaining, Duration retryAfter) {

    /** Let through without asking the bucket: the store is away. */
    static final Decision UNCHECKED = new Decision(true, -1, Duration.ZERO);

    /** Retry-After in whole seconds, rounded up and at least one. */
    long retryAfterSeconds() {
        return Math.max(1, (retryAfter.toMillis() + 999) / 1000);
    }
}
