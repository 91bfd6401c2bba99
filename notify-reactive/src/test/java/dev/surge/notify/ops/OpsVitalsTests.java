package dev.surge.notify.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.json.JsonMapper;

/** Which vital signs count: the newest per instance, counts once, silent and forgotten instances. */
class OpsVitalsTests {

    private final JsonMapper json = JsonMapper.builder().build();
    private Instant now = Instant.parse("2026-12-02T10:00:00.100Z");
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };
    private final OpsMetrics metrics = new OpsMetrics(clock);
    private final OpsVitals vitals = new OpsVitals(json, metrics, clock);

    @Test
    void keepsTheNewestReportPerInstanceAndCountsARedeliveredOneOnce() {
        vitals.notified(cartOrder("cart-order-1", 2, 5, 3, now));
        vitals.notified(cartOrder("cart-order-1", 2, 5, 3, now));
        vitals.notified(cartOrder("cart-order-1", 1, 99, 7, now));

        now = now.plusSeconds(1);
        assertThat(metrics.lastSecond().get("outOfStockRefusals")).isEqualTo(3L);
        assertThat(vitals.figures().get("outboxBacklog")).isEqualTo(List.of(Map.of("service", "cart-order", "backlog", 5L, "parked", 0L)));
        assertThat(vitals.figures().get("consumerLag")).isEqualTo(List.of(Map.of("group", "cart-order.payments", "lag", 2L)));
    }

    @Test
    void theNewestInstanceOfAServiceSpeaksForItsSharedTableAndGroups() {
        vitals.notified(cartOrder("cart-order-1", 1, 5, 0, now));
        now = now.plusMillis(300);
        vitals.notified(cartOrder("cart-order-2", 1, 8, 0, now));

        assertThat(vitals.figures().get("outboxBacklog")).isEqualTo(List.of(Map.of("service", "cart-order", "backlog", 8L, "parked", 0L)));
    }

    @Test
    void anInstanceNotHeardOfIsSilentThenForgottenAndOldCountsAreNotCountedNow() {
        vitals.notified("""
                {"service":"edge-gateway","instance":"gw-1","intervalMillis":1000,"version":1,"measuredAt":"%s",
                 "breakers":[{"name":"catalog","state":"OPEN"}],"consumerLag":[],"counts":{}}""".formatted(now));
        assertThat(vitals.figures().get("breakers"))
                .isEqualTo(List.of(Map.of("service", "edge-gateway", "instance", "gw-1", "name", "catalog", "state", "OPEN")));

        now = now.plusSeconds(4);
        assertThat(vitals.figures().get("breakers")).as("silent after three intervals").isEqualTo(List.of());
        assertThat(vitals.figures().get("instances")).isEqualTo(List.of(Map.of("service", "edge-gateway", "instance", "gw-1",
                "measuredAt", "2026-12-02T10:00:00.100Z", "silent", true)));
        now = now.plus(OpsVitals.FORGOTTEN_AFTER);
        assertThat(vitals.figures().get("instances")).isEqualTo(List.of());

        // a report replayed long after it was measured shows its figures but adds no counts to this second
        vitals.notified(cartOrder("cart-order-1", 1, 5, 9, now.minusSeconds(60)));
        now = now.plusSeconds(1);
        assertThat(metrics.lastSecond().get("outOfStockRefusals")).isEqualTo(0L);
    }

    @Test
    void aNotificationThatIsNotVitalSignsIsIgnored() {
        vitals.notified("not json");
        vitals.notified("{\"service\":\"x\"}");
        assertThat(vitals.figures().get("instances")).isEqualTo(List.of());
    }

    private static String cartOrder(String instance, long version, long backlog, long refusals, Instant measured) {
        return """
                {"service":"cart-order","instance":"%s","intervalMillis":1000,"version":%d,"measuredAt":"%s",
                 "outbox":{"backlog":%d,"parked":0},"consumerLag":[{"group":"cart-order.payments","lag":%d}],
                 "breakers":[],"counts":{"outOfStockRefusals":%d}}""".formatted(instance, version, measured, backlog, version, refusals);
    }
}
