package dev.surge.notify.live;

/**
 * Takes the notifications of one PostgreSQL channel, delivered by {@link PostgresChangeListener} on its
 * one connection: one call at a time, in commit order.
 */
public interface ChannelHandler {

    /** The channel listened to. */
    String channel();

    /** A notification's payload, in the order PostgreSQL delivers them. */
    void notified(String payload);

    /**
     * The listening connection is open (again): anything committed while it was away was not
     * delivered, so handlers that must not miss a change read it from the database now.
     */
    void listening();
}
