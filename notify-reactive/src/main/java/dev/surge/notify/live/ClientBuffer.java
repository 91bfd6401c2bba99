package dev.surge.notify.live;

import java.time.Instant;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.ToDoubleFunction;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.util.concurrent.Queues;

/**
 * What waits for one client of a stream: at most {@code capacity} items, filled by one producer (the
 * change listener) and drained as fast as the client's connection takes them. When it is full the
 * client is too slow: its connection is closed at once, for real ({@code disconnect}), and the buffer
 * is dropped. An overflow error signal alone would wait behind the very items that do not drain (the
 * stream would go silent and its subscription leak); a drop-oldest buffer would keep a client that
 * silently misses events. Closed, the browser reconnects with {@code Last-Event-ID} and reads what it
 * missed from the feed; nobody else ever waits for it.
 */
public final class ClientBuffer<T> {

    private static final Logger log = LoggerFactory.getLogger(ClientBuffer.class);

    private final Sinks.Many<T> sink;
    private final Runnable disconnect;
    private final Executor loop;
    private final Runnable onOverflow;
    private final T heartbeat;
    private final long endsAtMillis;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean ended;

    /**
     * @param capacity   items that may wait, rounded up to a power of two, at least 8
     * @param disconnect closes the client's connection
     * @param onOverflow counts the overflow
     */
    public ClientBuffer(int capacity, Runnable disconnect, Runnable onOverflow) {
        this(capacity, StreamClient.direct(disconnect), onOverflow, null, null);
    }

    /**
     * @param client    the connection: how to close it, and the event loop items are handed over on
     * @param heartbeat the item {@link StreamTicker}'s {@link #beat()} hands over, so no stream needs a timer of
     *                  its own; {@code null} when the stream has its own heartbeats
     * @param endsAt    when {@link StreamTicker} ends the stream (its token expires); {@code null} for never
     */
    public ClientBuffer(int capacity, StreamClient client, Runnable onOverflow, T heartbeat, Instant endsAt) {
        this.sink = Sinks.many().unicast().onBackpressureBuffer(Queues.<T>get(capacity).get());
        this.disconnect = client.disconnect();
        this.loop = client.loop();
        this.onOverflow = onOverflow;
        this.heartbeat = heartbeat;
        this.endsAtMillis = endsAt == null ? Long.MAX_VALUE : endsAt.toEpochMilli();
    }

    /** Counts the clients of {@code stream} disconnected for falling behind. */
    public static Counter overflowCounter(MeterRegistry meters, String stream) {
        return Counter.builder("surge.sse.disconnects")
                .description("Stream clients disconnected because they fell behind by more than their buffer")
                .tag("reason", "overflow")
                .tag("stream", stream)
                .register(meters);
    }

    /** The open streams of {@code stream} on this instance. */
    public static <S> void streamGauge(MeterRegistry meters, String stream, S source, ToDoubleFunction<S> open) {
        Gauge.builder("surge.sse.streams", source, open)
                .description("Open SSE streams on this instance")
                .tag("stream", stream)
                .register(meters);
    }

    /**
     * Hands an item to the client. The change listener and {@link StreamTicker} both hand items over, so
     * the three emitting methods take this buffer's monitor (held for one emission, never contended for long).
     */
    public void offer(T item) {
        if (!closed.get() && !ended) {
            loop.execute(() -> emit(item));
        }
    }

    private synchronized void emit(T item) {
        if (closed.get()) {
            return;
        }
        Sinks.EmitResult result = sink.tryEmitNext(item);
        // a full buffer is FAIL_ZERO_SUBSCRIBER while the response has not subscribed yet (the stream is
        // still opening), FAIL_OVERFLOW once it has; either way the item cannot wait
        boolean full = result == Sinks.EmitResult.FAIL_OVERFLOW || result == Sinks.EmitResult.FAIL_ZERO_SUBSCRIBER;
        if (full && closed.compareAndSet(false, true)) {
            log.debug("a stream client fell behind by more than its buffer; closing its connection");
            onOverflow.run();
            disconnect.run();
            sink.tryEmitComplete();
        }
    }

    /** The heartbeat item, if there is room for it: a client that is behind gets the next real change or is cut by it. */
    synchronized void beat() {
        if (heartbeat != null && !closed.get()) {
            sink.tryEmitNext(heartbeat);
        }
    }

    /** Ends the stream after what waits if its time is up at {@code nowMillis}; whether it ended. */
    synchronized boolean endIfDue(long nowMillis) {
        if (nowMillis < endsAtMillis || ended) {
            return false;
        }
        ended = true;
        sink.tryEmitComplete();
        return true;
    }

    /** Whether {@link StreamTicker} gives this stream its heartbeats. */
    boolean ticked() {
        return heartbeat != null;
    }

    /** The items, for the one subscriber (the client's response). */
    public Flux<T> items() {
        return sink.asFlux();
    }

    /** Whether the buffer overflowed and the connection was closed. */
    public boolean overflowed() {
        return closed.get();
    }
}
