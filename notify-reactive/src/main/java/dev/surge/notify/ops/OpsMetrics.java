package dev.surge.notify.ops;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.springframework.stereotype.Component;

import tools.jackson.databind.JsonNode;

/**
 * The shop's vital signs as notify sees them, per second: orders placed, confirmed, failed and
 * cancelled, revenue (the totals of orders confirmed), and the time from placing an order to its
 * payment outcome (p50/p99 of the outcomes of the last minute), and the counts services report in their
 * vital signs ({@link OpsVitals}: out-of-stock refusals). Every instance sees every event (the
 * firehose), so every instance counts the whole shop. Seconds are the seconds the events arrived here.
 * Written by the change listener only, read once a second per metrics stream; both under this
 * object's monitor, held for a few field updates.
 */
@Component
class OpsMetrics {

    /** Seconds kept: the one being filled, the one being read, and room for a late reader. */
    private static final int SECONDS = 4;
    private static final Duration LATENCY_WINDOW = Duration.ofMinutes(1);
    private static final int LATENCY_SAMPLES = 4096;
    /** cart-order's count of "buy" attempts refused for stock, reported in its vital signs. */
    static final String OUT_OF_STOCK_REFUSALS = "outOfStockRefusals";

    private final Clock clock;
    private final Second[] seconds = new Second[SECONDS];
    private final long[] latencyMillis = new long[LATENCY_SAMPLES];
    private final long[] latencyAt = new long[LATENCY_SAMPLES];
    private int latencyNext;

    OpsMetrics() {
        this(Clock.systemUTC());
    }

    OpsMetrics(Clock clock) {
        this.clock = clock;
        for (int i = 0; i < SECONDS; i++) {
            seconds[i] = new Second();
        }
    }

    /** Counts one firehose event (its JSON as announced by {@link OpsFeed}). */
    synchronized void record(JsonNode event) {
        long now = clock.millis();
        Second second = second(now / 1000);
        String type = event.path("type").asString();
        JsonNode details = event.path("details");
        switch (type) {
            case "OrderPlaced" -> second.placed++;
            case "OrderCancelled" -> second.cancelled++;
            case "OrderStatusChanged" -> statusChanged(second, details.path("to").asString(), event, now);
            default -> {
                // payment and fulfilment facts: the status that follows from them is what counts
            }
        }
    }

    private void statusChanged(Second second, String to, JsonNode event, long now) {
        boolean outcome = "CONFIRMED".equals(to) || "PAYMENT_FAILED".equals(to);
        if ("CONFIRMED".equals(to)) {
            second.confirmed++;
            JsonNode total = event.path("order").path("total");
            if (total.has("amount") && total.has("currency")) {
                second.revenue.merge(total.get("currency").asString(), total.get("amount").asLong(), Long::sum);
            }
        }
        if ("PAYMENT_FAILED".equals(to)) {
            second.failed++;
        }
        JsonNode placedAt = event.path("order").path("placedAt");
        if (outcome && "PENDING_PAYMENT".equals(event.path("details").path("from").asString()) && placedAt.isString()) {
            Instant placed = Instant.parse(placedAt.asString());
            Instant decided = Instant.parse(event.path("occurredAt").asString());
            latencyMillis[latencyNext] = Math.max(0, Duration.between(placed, decided).toMillis());
            latencyAt[latencyNext] = now;
            latencyNext = (latencyNext + 1) % LATENCY_SAMPLES;
        }
    }

    /** Adds a count an instance reported in its vital signs (e.g. {@code outOfStockRefusals}) to this second. */
    synchronized void count(String name, long count) {
        second(clock.millis() / 1000).counts.merge(name, count, Long::sum);
    }

    /** The last complete second, and the payment-outcome times of the last minute. */
    synchronized Map<String, Object> lastSecond() {
        long now = clock.millis();
        long previous = now / 1000 - 1;
        Second second = seconds[(int) (previous % SECONDS)];
        boolean current = second.epochSecond == previous;
        Map<String, Object> orders = new LinkedHashMap<>();
        orders.put("placed", current ? second.placed : 0);
        orders.put("confirmed", current ? second.confirmed : 0);
        orders.put("paymentFailed", current ? second.failed : 0);
        orders.put("cancelled", current ? second.cancelled : 0);
        List<Map<String, Object>> revenue = new ArrayList<>();
        if (current) {
            second.revenue.forEach((currency, amount) -> revenue.add(Map.of("amount", amount, "currency", currency)));
        }
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("second", Instant.ofEpochSecond(previous).toString());
        figures.put("orders", orders);
        figures.put("revenue", revenue);
        figures.put("outOfStockRefusals", current ? second.counts.getOrDefault(OUT_OF_STOCK_REFUSALS, 0L) : 0L);
        figures.put("placedToPaymentOutcome", latencies(now));
        return figures;
    }

    private Map<String, Object> latencies(long now) {
        long since = now - LATENCY_WINDOW.toMillis();
        long[] recent = new long[LATENCY_SAMPLES];
        int n = 0;
        for (int i = 0; i < LATENCY_SAMPLES; i++) {
            if (latencyAt[i] != 0 && latencyAt[i] >= since) {
                recent[n++] = latencyMillis[i];
            }
        }
        Arrays.sort(recent, 0, n);
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("windowSeconds", LATENCY_WINDOW.toSeconds());
        figures.put("samples", n);
        figures.put("p50Millis", n == 0 ? null : recent[percentile(n, 0.50)]);
        figures.put("p99Millis", n == 0 ? null : recent[percentile(n, 0.99)]);
        return figures;
    }

    /** Nearest-rank percentile: the smallest sample with at least {@code p} of the samples at or below it. */
    static int percentile(int n, double p) {
        return Math.max(0, (int) Math.ceil(p * n) - 1);
    }

    private Second second(long epochSecond) {
        Second second = seconds[(int) (epochSecond % SECONDS)];
        if (second.epochSecond != epochSecond) {
            second.reset(epochSecond);
        }
        return second;
    }

    private static final class Second {
        long epochSecond = -1;
        long placed;
        long confirmed;
        long failed;
        long cancelled;
        final Map<String, Long> revenue = new TreeMap<>();
        final Map<String, Long> counts = new TreeMap<>();

        void reset(long epochSecond) {
            this.epochSecond = epochSecond;
            placed = 0;
            confirmed = 0;
            failed = 0;
            cancelled = 0;
            revenue.clear();
            counts.clear();
        }
    }
}
