package dev.surge.order.product;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import dev.surge.events.EventEnvelope;
import dev.surge.events.catalog.ProductChanged;
import dev.surge.events.catalog.ProductDeactivated;
import dev.surge.messaging.Inbox;
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

    UpdateProductReadModel(R2dbcProductReadModel products, Inbox inbox) {
        this.products = products;
        this.inbox = inbox;
    }

    Mono<Void> changed(EventEnvelope<?> envelope, ProductChanged changed) {
        return inbox.handleOnce(CONSUMER, envelope.eventId(), () -> products.apply(envelope, changed)
                        .doOnNext(updated -> logStale(updated, envelope))
                        .then())
                .then();
    }

    Mono<Void> deactivated(EventEnvelope<?> envelope, ProductDeactivated deactivated) {
        return inbox.handleOnce(CONSUMER, envelope.eventId(), () -> products.deactivate(envelope, deactivated.sku())
                        .doOnNext(updated -> logStale(updated, envelope))
                        .then())
                .then();
    }

    private static void logStale(long updated, EventEnvelope<?> envelope) {
        if (updated == 0) {
            log.debug("{} v{} for {} is not newer than the read model's copy; dropped", envelope.type(),
                    envelope.aggregateVersion(), envelope.aggregateId());
        }
    }
}
