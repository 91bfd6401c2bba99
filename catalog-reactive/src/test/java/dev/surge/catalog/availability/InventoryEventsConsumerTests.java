package dev.surge.catalog.availability;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.surge.events.EventEnvelope;
import dev.surge.events.order.StockLevelChanged;

class InventoryEventsConsumerTests {

    @Test
    void aBatchKeepsEachSkusNewestLevelOnly() {
        EventEnvelope<?> hot1 = level("HOT", 1, 9);
        EventEnvelope<?> other = level("OTHER", 4, 3);
        EventEnvelope<?> hot3 = level("HOT", 3, 7);
        EventEnvelope<?> hot2 = level("HOT", 2, 8);
        EventEnvelope<?> hot3Again = EventEnvelope.of("HOT", 3, new StockLevelChanged("HOT", 7, 5, "order"));

        assertThat(InventoryEventsConsumer.newestPerSku(List.of(hot1, other, hot3, hot2))).containsExactly(hot3, other);
        // the same version twice (a redelivery next to the original): one of them, the inbox drops the other anyway
        assertThat(InventoryEventsConsumer.newestPerSku(List.of(hot3, hot3Again))).hasSize(1);
        assertThat(InventoryEventsConsumer.newestPerSku(List.of(hot1))).containsExactly(hot1);
    }

    private static EventEnvelope<?> level(String sku, long version, int available) {
        return EventEnvelope.of(sku, version, new StockLevelChanged(sku, available, 5, "order"));
    }
}
