package dev.surge.order.stock;

import java.util.Set;

import org.springframework.stereotype.Component;

import dev.surge.messaging.VitalSignsCounters;
import dev.surge.service.web.Conflict;

/**
 * Counts the shoppers refused for stock (a cart line or an order asking for more than is left, a sale
 * sold out) in cart-order's vital signs as {@value #COUNT}, which ops see per second on
 * {@code /api/ops/metrics}.
 */
@Component
public class StockRefusals {

    static final String COUNT = "outOfStockRefusals";

    private static final Set<String> TYPES = Set.of("out-of-stock", "sold-out");

    private final VitalSignsCounters counters;

    StockRefusals(VitalSignsCounters counters) {
        this.counters = counters;
    }

    /** Counts the failure if it is a refusal for stock; any other failure is not counted. */
    public void count(Throwable failure) {
        if (failure instanceof Conflict refusal && TYPES.contains(refusal.type())) {
            counters.increment(COUNT);
        }
    }
}
