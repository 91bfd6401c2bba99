package dev.surge.notify.ops;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.stereotype.Component;

import dev.surge.events.EventTypes;
import dev.surge.events.Topics;
import dev.surge.notify.live.ClientBuffer;
import dev.surge.notify.live.LiveStreamProperties;
import dev.surge.notify.live.OrderStreams;
import dev.surge.notify.live.StreamClient;
import dev.surge.notify.live.StreamLimits;
import dev.surge.service.web.InvalidParameter;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * The ops streams: the firehose of order, payment and fulfilment events ({@code /api/ops/events},
 * optionally only some types), and the vital signs once a second ({@code /api/ops/metrics}). Both
 * count towards the instance's stream limits like a shopper's, with the ops user's own per-user limit.
 */
@Component
public class OpsStreams {

    /** The event types the firehose carries: those of the three topics notify reads. */
    static final Set<String> TYPES = EventTypes.all().stream()
            .filter(type -> Set.of(Topics.ORDERS, Topics.PAYMENTS, Topics.FULFILMENT).contains(type.topic()))
            .map(EventTypes.EventType::name)
            .collect(Collectors.toUnmodifiableSet());

    private static final Duration METRICS_INTERVAL = Duration.ofSeconds(1);

    private final OpsHub hub;
    private final OpsMetrics metrics;
    private final StreamLimits limits;
    private final OrderStreams orderStreams;
    private final LiveStreamProperties settings;
    private final JsonMapper json;
    private final OpsVitals vitals;
    /** A firehose stream's first bytes: the opening comment and the retry hint, the same for every stream. */
    private final byte[] openedFrame;

    OpsStreams(OpsHub hub, OpsMetrics metrics, StreamLimits limits, OrderStreams orderStreams,
            LiveStreamProperties settings, JsonMapper json, OpsVitals vitals) {
        this.hub = hub;
        this.metrics = metrics;
        this.vitals = vitals;
        this.openedFrame = (":stream open\nretry:" + settings.retry().toMillis() + "\n\n").getBytes(StandardCharsets.US_ASCII);
        this.limits = limits;
        this.orderStreams = orderStreams;
        this.settings = settings;
        this.json = json;
    }

    /**
     * The firehose, of every type or only of {@code types} (names as on the topics: {@code OrderPlaced},
     * {@code PaymentFailed}, ...); an unknown name is a {@code 400} naming {@code type}.
     */
    public Mono<Flux<DataBuffer>> events(String userId, List<String> types, Instant expiresAt, StreamClient client,
            DataBufferFactory buffers) {
        return Mono.fromCallable(() -> types(types))
                .flatMap(wanted -> limits.acquire(userId)
                        .map(permit -> {
                            ClientBuffer<OpsHub.OpsEvent> buffer = hub.register(wanted, client, expiresAt);
                            // heartbeats and the end at expiry come through the buffer (StreamTicker): no timer per
                            // stream; each event's bytes were encoded once for all streams (OpsHub)
                            return OrderStreams.released(Flux.concat(Mono.just(openedFrame), buffer.items().map(OpsHub.OpsEvent::frame))
                                    .map(buffers::wrap), () -> {
                                        hub.unregister(buffer);
                                        permit.release();
                                    });
                        }));
    }

    /** The vital signs, one event per second. */
    public Mono<Flux<ServerSentEvent<String>>> metrics(String userId, Instant expiresAt) {
        return limits.acquire(userId)
                .map(permit -> {
                    Runnable closed = hub.metricsStream();
                    return OrderStreams.released(limited(Flux.interval(METRICS_INTERVAL)
                            .onBackpressureDrop()
                            .map(tick -> ServerSentEvent.builder(json.writeValueAsString(figures())).event("metrics").build()),
                            expiresAt), () -> {
                                closed.run();
                                permit.release();
                            });
                });
    }

    private Map<String, Object> figures() {
        Map<String, Object> figures = new LinkedHashMap<>(metrics.lastSecond());
        figures.putAll(vitals.figures());
        return figures;
    }

    /** This instance's part of its vital signs: the shoppers' and ops streams open here. */
    int streams() {
        return orderStreams.subscribers() + hub.subscribers();
    }

    /** Opened at once with the retry hint, heartbeats beside, ended when the token expires. */
    private Flux<ServerSentEvent<String>> limited(Flux<ServerSentEvent<String>> events, Instant expiresAt) {
        Flux<ServerSentEvent<String>> opened = Flux.concat(Mono.just(OrderStreams.opened(settings.retry())), events)
                .takeUntilOther(Mono.delay(OrderStreams.untilExpiry(expiresAt)));
        return OrderStreams.withHeartbeats(opened, settings.heartbeat());
    }

    private static Set<String> types(List<String> requested) {
        if (requested == null) {
            return Set.of();
        }
        Set<String> wanted = requested.stream()
                .flatMap(value -> java.util.Arrays.stream(value.split(",")))
                .map(String::strip)
                .filter(value -> !value.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
        for (String type : wanted) {
            if (!TYPES.contains(type)) {
                throw new InvalidParameter("type", "must be one of " + TYPES.stream().sorted().toList());
            }
        }
        return wanted;
    }
}
