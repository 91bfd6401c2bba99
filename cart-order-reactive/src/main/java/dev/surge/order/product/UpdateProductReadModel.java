package dev.surge.order.product;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;

import dev.surge.events.EventEnvelope;
import dev.surge.events.catalog.ProductChanged;
import dev.surge.events.catalog.ProductDeactivated;
import dev.surge.messaging.Inbox;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Keeps the product read model in line with the catalog. Each event has its effect once (the
 * inbox), and an event not newer than the product's stored catalog version changes nothing, so
 * a redelivered, duplicated or reordered event never brings back an old price.
 */
@Service
class UpdateProductReadModel {

    static final String CONSUMER = "products";

    private static final Logger log = LoggerFactory.getLogger(UpdateProductReadModel.class);

    private final R2dbcProductReadModel products;
    private final Inbox inbox;
    private final List<FirstSeen> firstSeen;

    UpdateProductReadModel(R2dbcProductReadModel products, Inbox inbox, ObjectProvider<FirstSeen> firstSeen) {
        this.products = products;
        this.inbox = inbox;
        this.firstSeen = firstSeen.orderedStream().toList();
    }

    Mono<Void> changed(EventEnvelope<?> envelope, ProductChanged changed) {
        return inbox.handleOnce(CONSUMER, envelope.eventId(), () -> products.apply(envelope, changed)
                        .flatMap(applied -> switch (applied) {
                            case INSERTED -> tellFirstSeen(envelope, changed);
                            case UPDATED -> Mono.empty();
                            case STALE -> logStale(0, envelope);
                        }))
                .then();
    }

    private Mono<Void> tellFirstSeen(EventEnvelope<?> envelope, ProductChanged changed) {
        CatalogProduct product = new CatalogProduct(changed.sku(), changed.name(), changed.imageUrl(), changed.price(),
                changed.weightGrams(), changed.active(), envelope.aggregateVersion(), changed.changedAt());
        return Flux.fromIterable(firstSeen)
                .concatMap(listener -> listener.productFirstSeen(product))
                .then();
    }

    Mono<Void> deactivated(EventEnvelope<?> envelope, ProductDeactivated deactivated) {
        return inbox.handleOnce(CONSUMER, envelope.eventId(), () -> products.deactivate(envelope, deactivated.sku())
                        .flatMap(updated -> logStale(updated, envelope)))
                .then();
    }

    private static Mono<Void> logStale(long updated, EventEnvelope<?> envelope) {
        if (updated == 0) {
            log.debug("{} v{} for {} is not newer than the read model's copy (or unknown); dropped", envelope.type(),
                    envelope.aggregateVersion(), envelope.aggregateId());
        }
        return Mono.empty();
    }
}
