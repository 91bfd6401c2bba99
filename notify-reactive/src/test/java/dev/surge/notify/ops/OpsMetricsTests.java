package dev.surge.notify.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class OpsMetricsTests {

    private final JsonMapper json = JsonMapper.builder().build();
    private Instant now = Instant.parse("2026-12-02T10:00:00.100Z");
    private final OpsMetrics metrics = new OpsMetrics(new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    });

    @Test
    void countsTheLastCompleteSecondAndItsRevenuePerCurrency() {
        metrics.record(event("OrderPlaced", null, null, null));
        metrics.record(event("OrderPlaced", null, null, null));
        metrics.record(confirmed("2026-12-02T09:59:59.900Z", "2026-12-02T10:00:00.050Z", 2_990, "EUR"));
        metrics.record(confirmed("2026-12-02T09:59:59.000Z", "2026-12-02T10:00:00.050Z", 1_000, "EUR"));
        metrics.record(confirmed("2026-12-02T09:59:59.000Z", "2026-12-02T10:00:00.050Z", 500, "GBP"));
        metrics.record(event("OrderCancelled", null, null, null));

        assertThat(metrics.lastSecond().get("orders")).as("the second is not over yet").isEqualTo(
                Map.of("placed", 0L, "confirmed", 0L, "paymentFailed", 0L, "cancelled", 0L));
        now = now.plusSeconds(1);
        Map<String, Object> second = metrics.lastSecond();
        assertThat(second.get("second")).isEqualTo("2026-12-02T10:00:00Z");
        assertThat(second.get("orders")).isEqualTo(Map.of("placed", 2L, "confirmed", 3L, "paymentFailed", 0L, "cancelled", 1L));
        assertThat(second.get("revenue")).isEqualTo(List.of(Map.of("amount", 3_990L, "currency", "EUR"),
                Map.of("amount", 500L, "currency", "GBP")));
        now = now.plusSeconds(5);
        assertThat(metrics.lastSecond().get("orders")).as("a quiet second counts nothing")
                .isEqualTo(Map.of("placed", 0L, "confirmed", 0L, "paymentFailed", 0L, "cancelled", 0L));
    }

    @Test
    void timesFromPlacedToPaymentOutcomeOverTheLastMinute() {
        for (int i = 1; i <= 100; i++) {
            metrics.record(confirmed("2026-12-02T10:00:00Z", Instant.parse("2026-12-02T10:00:00Z").plusMillis(i).toString(), 1, "EUR"));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> latency = (Map<String, Object>) metrics.lastSecond().get("placedToPaymentOutcome");
        assertThat(latency).containsEntry("samples", 100).containsEntry("p50Millis", 50L).containsEntry("p99Millis", 99L);
        now = now.plusSeconds(61);
        @SuppressWarnings("unchecked")
        Map<String, Object> later = (Map<String, Object>) metrics.lastSecond().get("placedToPaymentOutcome");
        assertThat(later).containsEntry("samples", 0);
        assertThat(later.get("p50Millis")).isNull();
    }

    @Test
    void aRetriedPaymentsOutcomeIsNotTimedFromThePlacingAgain() {
        JsonNode retried = json.readTree("""
                {"type":"OrderStatusChanged","occurredAt":"2026-12-02T10:00:00Z",
                 "details":{"from":"PAYMENT_FAILED","to":"CONFIRMED"},
                 "order":{"placedAt":"2026-12-02T09:00:00Z","total":{"amount":1,"currency":"EUR"}}}""");
        metrics.record(retried);
        @SuppressWarnings("unchecked")
        Map<String, Object> latency = (Map<String, Object>) metrics.lastSecond().get("placedToPaymentOutcome");
        assertThat(latency).containsEntry("samples", 0);
    }

    @Test
    void nearestRankPercentiles() {
        assertThat(OpsMetrics.percentile(1, 0.99)).isZero();
        assertThat(OpsMetrics.percentile(100, 0.50)).isEqualTo(49);
        assertThat(OpsMetrics.percentile(100, 0.99)).isEqualTo(98);
        assertThat(OpsMetrics.percentile(1000, 0.99)).isEqualTo(989);
    }

    private JsonNode confirmed(String placedAt, String occurredAt, long amount, String currency) {
        return event("OrderStatusChanged", occurredAt, placedAt, "{\"amount\":" + amount + ",\"currency\":\"" + currency + "\"}");
    }

    private JsonNode event(String type, String occurredAt, String placedAt, String total) {
        String details = "OrderStatusChanged".equals(type) ? "{\"from\":\"PENDING_PAYMENT\",\"to\":\"CONFIRMED\"}" : "{}";
        return json.readTree("{\"type\":\"" + type + "\",\"occurredAt\":" + quoted(occurredAt) + ",\"details\":" + details
                + ",\"order\":{\"placedAt\":" + quoted(placedAt) + ",\"total\":" + (total == null ? "null" : total) + "}}");
    }

    private static String quoted(String value) {
        return value == null ? "null" : "\"" + value + "\"";
    }
}
