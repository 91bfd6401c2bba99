package dev.surge.notify.live;

import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The shoppers' streams open on this instance, by shopper, and the changes announced on
 * {@value R2dbcShopperFeed#CHANNEL} handed to each stream of the shopper concerned. Every instance
 * listens, so every instance hands every change to its own streams.
 */
@Component
class LiveHub implements ChannelHandler, StreamTicker.Streams {

    private static final Logger log = LoggerFactory.getLogger(LiveHub.class);

    private final Map<String, Set<ClientBuffer<LiveEvent>>> byShopper = new ConcurrentHashMap<>();
    private final AtomicInteger subscribers = new AtomicInteger();
    private final JsonMapper json;
    private final LiveStreamProperties settings;
    private final Counter overflows;

    LiveHub(JsonMapper json, LiveStreamProperties settings, MeterRegistry meters) {
        this.json = json;
        this.settings = settings;
        this.overflows = ClientBuffer.overflowCounter(meters, "orders");
        ClientBuffer.streamGauge(meters, "orders", this, LiveHub::subscribers);
    }

    /**
     * A buffer for a new stream of the shopper; it receives their changes from now on, its heartbeats from
     * {@link StreamTicker}, and ends at {@code endsAt}.
     */
    ClientBuffer<LiveEvent> register(String userId, StreamClient client, Instant endsAt) {
        ClientBuffer<LiveEvent> buffer = new ClientBuffer<>(settings.bufferSize(), client, overflows::increment,
                LiveEvent.HEARTBEAT, endsAt);
        byShopper.compute(userId, (id, buffers) -> {
            Set<ClientBuffer<LiveEvent>> all = buffers == null ? ConcurrentHashMap.newKeySet() : buffers;
            all.add(buffer);
            return all;
        });
        subscribers.incrementAndGet();
        return buffer;
    }

    void unregister(String userId, ClientBuffer<LiveEvent> buffer) {
        byShopper.computeIfPresent(userId, (id, buffers) -> {
            if (buffers.remove(buffer)) {
                subscribers.decrementAndGet();
            }
            return buffers.isEmpty() ? null : buffers;
        });
    }

    int subscribers() {
        return subscribers.get();
    }

    @Override
    public void forEachBuffer(Consumer<ClientBuffer<?>> each) {
        byShopper.values().forEach(buffers -> buffers.forEach(each));
    }

    @Override
    public String channel() {
        return R2dbcShopperFeed.CHANNEL;
    }

    @Override
    public void notified(String payload) {
        LiveEvent event;
        try {
            Announcement announced = json.readValue(payload, Announcement.class);
            event = new LiveEvent(announced.u(), announced.i(), announced.o(), announced.f(), announced.b());
        }
        catch (JacksonException e) {
            log.warn("ignoring a notification on {} that is not a change: {}", channel(), e.getOriginalMessage());
            return;
        }
        Set<ClientBuffer<LiveEvent>> streams = byShopper.get(event.userId());
        if (streams != null) {
            streams.forEach(stream -> stream.offer(event));
        }
    }

    @Override
    public void listening() {
        byShopper.forEach((userId, streams) -> streams.forEach(stream -> stream.offer(LiveEvent.wake(userId))));
    }

    /** What {@link R2dbcShopperFeed#append} announces: shopper, id, order, final, body (or null). */
    private record Announcement(String u, long i, UUID o, boolean f, String b) {
    }
}
