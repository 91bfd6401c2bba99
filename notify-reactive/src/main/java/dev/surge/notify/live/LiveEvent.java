package dev.surge.notify.live;

import java.util.UUID;

/**
 * One change in a shopper's feed, as stored and as announced to every instance.
 *
 * @param userId      the shopper
 * @param id          its number in the shopper's sequence: the SSE {@code id}
 * @param orderId     the order that changed
 * @param finalStatus the order reached a final status with it
 * @param body        the event's data (an {@link OrderView} as JSON); null when the announcement was too
 *                    long to carry it, or in a {@link #wake} signal: the stream reads its feed then
 */
record LiveEvent(String userId, long id, UUID orderId, boolean finalStatus, String body) {

    /** Tells a stream to read what it may have missed (the listening connection was lost and is back). */
    static LiveEvent wake(String userId) {
        return new LiveEvent(userId, Long.MAX_VALUE, null, false, null);
    }

    /** The heartbeat a stream's buffer is handed by {@link StreamTicker}: a comment on the wire, no change. */
    static final LiveEvent HEARTBEAT = new LiveEvent("", 0, null, false, null);

    boolean heartbeat() {
        return this == HEARTBEAT;
    }

    boolean complete() {
        return body != null;
    }
}
