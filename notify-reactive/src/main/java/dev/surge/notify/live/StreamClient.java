package dev.surge.notify.live;

import java.util.concurrent.Executor;

/**
 * The connection a stream writes to, as its buffer needs it.
 *
 * @param disconnect closes the connection itself (when the client falls too far behind)
 * @param loop       the connection's own event loop: a buffer hands its items over on it, so the work of
 *                   every stream's pipeline (up to the socket write) is spread over the server's event loops
 *                   instead of all running on the one thread that announces a change to every stream
 */
public record StreamClient(Runnable disconnect, Executor loop) {

    /** A client whose items are handed over on the caller's thread (another server than Reactor Netty, tests). */
    public static StreamClient direct(Runnable disconnect) {
        return new StreamClient(disconnect, Runnable::run);
    }
}
