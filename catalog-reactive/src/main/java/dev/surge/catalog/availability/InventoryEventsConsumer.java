package dev.surge.catalog.availability;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.stereotype.Component;

import dev.surge.events.EventEnvelope;
import dev.surge.events.Topics;
import dev.surge.events.order.StockLevelChanged;
import dev.surge.messaging.EventConsumer;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Reads {@code shop.inventory.v1} for the stock display. */
@Component
class InventoryEventsConsumer implements EventConsumer {

    private final UpdateAvailability availability;

    InventoryEventsConsumer(UpdateAvailability availability) {
        this.availability = availability;
    }

    @Override
    public String name() {
        return UpdateAvailability.CONSUMER;
    }

    @Override
    public Set<String> topics() {
        return Set.of(Topics.INVENTORY);
    }

    @Override
    public Mono<Void> handle(EventEnvelope<?> event) {
        return switch (event.payload()) {
            case StockLevelChanged change -> availability.apply(event, change);
            default -> Mono.empty();
        };
    }

    /** A hot sku sends a level with every order: of those that waited together, each sku's newest is enough. */
    @Override
    public boolean batches() {
        return true;
    }

    /**
     * Applies only each sku's newest level of the batch: an older one would be overwritten at once, and
     * one redelivered later is dropped by its version, as any stale level is.
     */
    @Override
    public Mono<Void> handleBatch(List<EventEnvelope<?>> events) {
        return Flux.fromIterable(newestPerSku(events)).concatMap(this::handle).then();
    }

    /** Each sku's level of the highest version among the events, in the order the skus first came; other events left out. */
    static List<EventEnvelope<?>> newestPerSku(List<EventEnvelope<?>> events) {
        Map<String, EventEnvelope<?>> newest = new LinkedHashMap<>();
        for (EventEnvelope<?> event : events) {
            if (event.payload() instanceof StockLevelChanged change) {
                newest.merge(change.sku(), event, (held, next) -> next.aggregateVersion() >= held.aggregateVersion() ? next : held);
            }
        }
        return List.copyOf(newest.values());
    }
}
