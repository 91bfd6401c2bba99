package dev.surge.notify.ops;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import dev.surge.notify.live.ChannelHandler;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The newest vital signs of every service instance, as {@link VitalSignsConsumer} announces them: the
 * breaker states, consumer lag, outbox backlog and open streams that {@code /api/ops/metrics} shows, and
 * the counts (out-of-stock refusals) it adds up per second in {@link OpsMetrics}. An instance not heard
 * of for {@value #SILENT_AFTER_INTERVALS} of its intervals is shown as silent, its figures left out of
 * the sums; after {@link #FORGOTTEN_AFTER} it is dropped (an instance that restarts comes back under a
 * new name). Counts of a report measured long before it arrived (a replay after an outage) are not
 * counted in the second it arrived.
 */
@Component
class OpsVitals implements ChannelHandler {

    static final int SILENT_AFTER_INTERVALS = 3;
    static final Duration FORGOTTEN_AFTER = Duration.ofMinutes(5);
    static final Duration COUNTS_TOO_OLD = Duration.ofSeconds(5);

    private static final Logger log = LoggerFactory.getLogger(OpsVitals.class);

    private final JsonMapper json;
    private final OpsMetrics metrics;
    private final Clock clock;
    private final Map<String, Report> reports = new TreeMap<>();

    @Autowired
    OpsVitals(JsonMapper json, OpsMetrics metrics) {
        this(json, metrics, Clock.systemUTC());
    }

    OpsVitals(JsonMapper json, OpsMetrics metrics, Clock clock) {
        this.json = json;
        this.metrics = metrics;
        this.clock = clock;
    }

    @Override
    public String channel() {
        return VitalSignsConsumer.CHANNEL;
    }

    @Override
    public void notified(String payload) {
        JsonNode signs;
        try {
            signs = json.readTree(payload);
        }
        catch (JacksonException e) {
            log.warn("ignoring a notification on {} that is not vital signs: {}", channel(), e.getOriginalMessage());
            return;
        }
        received(signs);
    }

    @Override
    public void listening() {
        // nothing to catch up: every instance reports again within its interval
    }

    /** Keeps a report if it is newer than the one held for its instance, and counts its counts once. */
    void received(JsonNode signs) {
        String instance = signs.path("instance").asString();
        long version = signs.path("version").asLong();
        long now = clock.millis();
        synchronized (this) {
            Report held = reports.get(instance);
            if (instance.isEmpty() || held != null && held.version() >= version) {
                return;
            }
            reports.put(instance, new Report(signs, version, now));
        }
        Instant measured = Instant.parse(signs.path("measuredAt").asString(Instant.ofEpochMilli(now).toString()));
        if (Duration.between(measured, Instant.ofEpochMilli(now)).compareTo(COUNTS_TOO_OLD) <= 0) {
            signs.path("counts").properties().forEach(count -> metrics.count(count.getKey(), count.getValue().asLong()));
        }
    }

    /** The shop's breakers, consumer lag, outbox backlog, open streams and the instances heard of. */
    synchronized Map<String, Object> figures() {
        long now = clock.millis();
        reports.values().removeIf(report -> now - report.receivedAt() > FORGOTTEN_AFTER.toMillis());
        List<Map<String, Object>> instances = new ArrayList<>();
        List<Map<String, Object>> breakers = new ArrayList<>();
        Map<String, JsonNode> lagByGroup = new TreeMap<>();
        Map<String, JsonNode> outboxByService = new TreeMap<>();
        List<Map<String, Object>> streams = new ArrayList<>();
        List<Report> newestFirst = reports.values().stream()
                .sorted(Comparator.comparing(Report::receivedAt).reversed())
                .toList();
        for (Report report : newestFirst) {
            JsonNode signs = report.signs();
            String service = signs.path("service").asString();
            String instance = signs.path("instance").asString();
            boolean silent = now - report.receivedAt() > SILENT_AFTER_INTERVALS * Math.max(1, signs.path("intervalMillis").asLong());
            Map<String, Object> heard = new LinkedHashMap<>();
            heard.put("service", service);
            heard.put("instance", instance);
            heard.put("measuredAt", signs.path("measuredAt").asString());
            heard.put("silent", silent);
            instances.add(heard);
            if (silent) {
                continue;
            }
            signs.path("breakers").forEach(breaker -> breakers.add(ordered("service", service, "instance", instance,
                    "name", breaker.path("name").asString(), "state", breaker.path("state").asString())));
            // every instance of a service reads the same group offsets and the same outbox table: the newest says it
            signs.path("consumerLag").forEach(lag -> lagByGroup.putIfAbsent(lag.path("group").asString(), lag));
            if (signs.path("outbox").isObject()) {
                outboxByService.putIfAbsent(service, signs.path("outbox"));
            }
            if (signs.path("streams").isNumber()) {
                streams.add(ordered("service", service, "instance", instance, "streams", signs.path("streams").asInt()));
            }
        }
        instances.sort(Comparator.comparing(heard -> (String) heard.get("instance")));
        breakers.sort(Comparator.comparing((Map<String, Object> breaker) -> (String) breaker.get("name"))
                .thenComparing(breaker -> (String) breaker.get("instance")));
        streams.sort(Comparator.comparing(stream -> (String) stream.get("instance")));
        List<Map<String, Object>> lag = new ArrayList<>();
        lagByGroup.forEach((group, figure) -> lag.add(ordered("group", group, "lag", figure.path("lag").asLong())));
        List<Map<String, Object>> outbox = new ArrayList<>();
        outboxByService.forEach((service, figure) -> outbox.add(ordered("service", service,
                "backlog", figure.path("backlog").asLong(), "parked", figure.path("parked").asLong())));
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("breakers", breakers);
        figures.put("consumerLag", lag);
        figures.put("outboxBacklog", outbox);
        figures.put("sseSubscribers", streams);
        figures.put("instances", instances);
        return figures;
    }

    /** A map that writes its entries in the order given (Map.of has none), so the JSON reads the same every second. */
    private static Map<String, Object> ordered(Object... entries) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < entries.length; i += 2) {
            map.put((String) entries[i], entries[i + 1]);
        }
        return map;
    }

    private record Report(JsonNode signs, long version, long receivedAt) {
    }
}
