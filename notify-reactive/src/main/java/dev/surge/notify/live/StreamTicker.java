package dev.surge.notify.live;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

import org.springframework.stereotype.Component;

import reactor.core.publisher.Flux;

/**
 * One timer for every stream of this instance, instead of two per stream: each tick ends the streams
 * whose token has expired, and every {@code heartbeat} it hands each stream its heartbeat comment. At
 * 19,000 streams, two timers and the merge of their heartbeats with the events cost more live heap per
 * stream than the rest of the stream put together (README, "Held streams").
 */
@Component
public class StreamTicker {

    /** What holds streams: the shoppers' hub and the ops hub. */
    public interface Streams {

        /** Every buffer of a stream open now. */
        void forEachBuffer(Consumer<ClientBuffer<?>> each);
    }

    private final List<Streams> streams;
    private final Duration tick;
    private final long ticksPerBeat;

    StreamTicker(List<Streams> streams, LiveStreamProperties settings) {
        this.streams = List.copyOf(streams);
        Duration heartbeat = settings.heartbeat();
        this.tick = heartbeat.compareTo(Duration.ofSeconds(1)) < 0 ? heartbeat : Duration.ofSeconds(1);
        this.ticksPerBeat = Math.max(1, heartbeat.toMillis() / tick.toMillis());
    }

    /** One tick: expired streams end, and on every {@code ticksPerBeat}-th tick the others get a heartbeat. */
    void tick(long count, long nowMillis) {
        boolean beat = count % ticksPerBeat == ticksPerBeat - 1;
        streams.forEach(holder -> holder.forEachBuffer(buffer -> {
            if (!buffer.endIfDue(nowMillis) && beat && buffer.ticked()) {
                buffer.beat();
            }
        }));
    }

    /** The ticks, run by messaging-support's {@code StreamLifecycle} while the application runs. */
    Flux<Long> run() {
        return Flux.interval(tick, tick)
                .onBackpressureDrop()
                .doOnNext(count -> tick(count, System.currentTimeMillis()));
    }
}
