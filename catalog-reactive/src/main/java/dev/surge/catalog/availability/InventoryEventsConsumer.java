package dev.surge.catalog.availability;

import java.util.Set;

import org.springframework.stereotype.Component;

import dev.surge.events.EventEnvelope;
import dev.surge.events.Topics;
import dev.surge.events.order.StockLevelChanged;
import dev.surge.messaging.EventConsumer;
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
}
