package dev.surge.notify.ops;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import dev.surge.notify.live.ChannelHandler;
import dev.surge.notify.live.ClientBuffer;
import dev.surge.notify.live.LiveStreamProperties;
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
class OpsHub implements ChannelHandler {

    private static final Logger log = LoggerFactory.getLogger(OpsHub.class);

    private final Set<ClientBuffer<OpsEvent>> streams = ConcurrentHashMap.newKeySet();
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

    ClientBuffer<OpsEvent> register(Runnable disconnect) {
        ClientBuffer<OpsEvent> buffer = new ClientBuffer<>(settings.bufferSize(), disconnect, overflows::increment);
        streams.add(buffer);
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
        OpsEvent announced = new OpsEvent(event.path("type").asString(), payload);
        streams.forEach(stream -> stream.offer(announced));
    }

    @Override
    public void listening() {
        // live only: what happened while the connection was away is not replayed to dashboards
    }

    /**
     * @param type the event's type ({@code OrderPlaced}, ...)
     * @param json the event as streamed
     */
    record OpsEvent(String type, String json) {
    }
}
