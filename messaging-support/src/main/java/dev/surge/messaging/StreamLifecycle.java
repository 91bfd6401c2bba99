package dev.surge.messaging;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.util.retry.Retry;

/**
 * The one place that subscribes to a service's long-running streams (consumers, the outbox relay):
 * started with the application context, cancelled when it stops, and restarted with backoff when a
 * stream fails (a broker outage, a lost database), so no background work dies silently.
 */
public class StreamLifecycle implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(StreamLifecycle.class);

    private final Map<String, Supplier<? extends Flux<?>>> streams = new LinkedHashMap<>();
    private final List<Disposable> running = new ArrayList<>();
    private final Duration minBackoff;
    private final Duration maxBackoff;
    private boolean started;

    public StreamLifecycle(Duration minBackoff, Duration maxBackoff) {
        this.minBackoff = minBackoff;
        this.maxBackoff = maxBackoff;
    }

    /** Registers a stream to run while the application runs; call before the context starts. */
    public synchronized void register(String name, Supplier<? extends Flux<?>> stream) {
        streams.put(name, stream);
    }

    @Override
    public synchronized void start() {
        started = true;
        streams.forEach((name, stream) -> running.add(Flux.defer(() -> stream.get().cast(Object.class))
                .retryWhen(Retry.backoff(Long.MAX_VALUE, minBackoff)
                        .maxBackoff(maxBackoff)
                        // a stream that ran fine for a while starts its backoff afresh after the next failure
                        .transientErrors(true)
                        .doBeforeRetry(signal -> log.warn("{} stopped ({}); restarting", name, signal.failure().toString())))
                .subscribe(
                        item -> { },
                        error -> log.error("{} stopped for good", name, error),
                        () -> log.info("{} completed", name))));
    }

    @Override
    public synchronized void stop() {
        running.forEach(Disposable::dispose);
        running.clear();
        started = false;
    }

    @Override
    public synchronized boolean isRunning() {
        return started;
    }
}
