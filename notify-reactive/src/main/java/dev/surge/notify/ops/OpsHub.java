package dev.surge.notify.ops;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import dev.surge.notify.live.ChannelHandler;
import dev.surge.notify.live.ClientBuffer;
import dev.surge.notify.live.LiveStreamProperties;
import dev.surge.notify.live.StreamClient;
import dev.surge.notify.live.StreamTicker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The firehose streams open on this instance, fed from the {@value OpsFeed#CHANNEL} channel, and the
 * vital signs counted from the same events. The firehose is live only: it has no ids and nothing to
 * resume (a dashboard that reconnects sees what happens from then on).
 */
@Component
class OpsHub implements ChannelHandler, StreamTicker.Streams {

    private static final Logger log = LoggerFactory.getLogger(OpsHub.class);

    /** Each firehose stream's buffer and the types it wants (empty: all). */
    private final Map<ClientBuffer<OpsEvent>, Set<String>> streams = new ConcurrentHashMap<>();
    private final AtomicInteger metricsStreams = new AtomicInteger();
    private final JsonMapper json;
    private final OpsMetrics metrics;
    private final LiveStreamProperties settings;
    private final Counter overflows;

    OpsHub(JsonMapper json, OpsMetrics metrics, LiveStreamProperties settings, MeterRegistry meters) {
        this.json = json;
        this.metrics = metrics;
        this.settings = settings;
        this.overflows = ClientBuffer.overflowCounter(meters, "ops");
        ClientBuffer.streamGauge(meters, "ops", this, OpsHub::subscribers);
    }

    /**
     * A firehose stream's buffer: every event of the {@code wanted} types (all if empty) from now on,
     * heartbeats from {@link StreamTicker}, ending at {@code endsAt}.
     */
    ClientBuffer<OpsEvent> register(Set<String> wanted, StreamClient client, Instant endsAt) {
        ClientBuffer<OpsEvent> buffer = new ClientBuffer<>(settings.bufferSize(), client, overflows::increment,
                OpsEvent.HEARTBEAT, endsAt);
        streams.put(buffer, Set.copyOf(wanted));
        return buffer;
    }

    void unregister(ClientBuffer<OpsEvent> buffer) {
        streams.remove(buffer);
    }

    /** A metrics stream opened; the runnable closes it. */
    Runnable metricsStream() {
        metricsStreams.incrementAndGet();
        AtomicBoolean closed = new AtomicBoolean();
        return () -> {
            if (closed.compareAndSet(false, true)) {
                metricsStreams.decrementAndGet();
            }
        };
    }

    @Override
    public void forEachBuffer(Consumer<ClientBuffer<?>> each) {
        streams.keySet().forEach(each);
    }

    /** Open firehose and metrics streams on this instance. */
    int subscribers() {
        return streams.size() + metricsStreams.get();
    }

    @Override
    public String channel() {
        return OpsFeed.CHANNEL;
    }

    @Override
    public void notified(String payload) {
        JsonNode event;
        try {
            event = json.readTree(payload);
        }
        catch (JacksonException e) {
            log.warn("ignoring a notification on {} that is not an event: {}", channel(), e.getOriginalMessage());
            return;
        }
        metrics.record(event);
        // encoded once for every stream: each one writes the same bytes
        String type = event.path("type").asString();
        OpsEvent announced = new OpsEvent(type, ("event:" + type + "\ndata:" + payload + "\n\n").getBytes(StandardCharsets.UTF_8));
        streams.forEach((stream, wanted) -> {
            if (wanted.isEmpty() || wanted.contains(type)) {
                stream.offer(announced);
            }
        });
    }

    @Override
    public void listening() {
        // live only: what happened while the connection was away is not replayed to dashboards
    }

    /**
     * @param type  the event's type ({@code OrderPlaced}, ...)
     * @param frame the event as it goes on the wire: {@code event:}, {@code data:}, the blank line; shared by
     *              every stream, never changed
     */
    record OpsEvent(String type, byte[] frame) {

        /** The heartbeat a firehose buffer is handed: a comment on the wire. */
        static final OpsEvent HEARTBEAT = new OpsEvent("", ":heartbeat\n\n".getBytes(StandardCharsets.US_ASCII));
    }
}
