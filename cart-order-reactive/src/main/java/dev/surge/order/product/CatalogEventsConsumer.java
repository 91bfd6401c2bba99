package dev.surge.order.product;

import java.util.Set;

import org.springframework.stereotype.Component;

import dev.surge.events.EventEnvelope;
import dev.surge.events.Topics;
import dev.surge.events.catalog.CatalogEvent;
import dev.surge.events.catalog.ProductChanged;
import dev.surge.events.catalog.ProductDeactivated;
import dev.surge.messaging.EventConsumer;
import reactor.core.publisher.Mono;

/** Reads {@code shop.catalog.v1} into the product read model. */
@Component
class CatalogEventsConsumer implements EventConsumer {

    private final UpdateProductReadModel readModel;

    CatalogEventsConsumer(UpdateProductReadModel readModel) {
        this.readModel = readModel;
    }

    @Override
    public String name() {
        return UpdateProductReadModel.CONSUMER;
    }

    @Override
    public Set<String> topics() {
        return Set.of(Topics.CATALOG);
    }

    @Override
    public Mono<Void> handle(EventEnvelope<?> event) {
        if (!(event.payload() instanceof CatalogEvent catalogEvent)) {
            return Mono.empty();
        }
        return switch (catalogEvent) {
            case ProductChanged changed -> readModel.changed(event, changed);
            case ProductDeactivated deactivated -> readModel.deactivated(event, deactivated);
        };
    }
}
