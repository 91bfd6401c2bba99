package dev.surge.fulfilment.shipment;

import java.util.Set;

import org.springframework.stereotype.Component;

import dev.surge.events.EventEnvelope;
import dev.surge.events.Topics;
import dev.surge.events.order.OrderCancelled;
import dev.surge.events.order.OrderEvent;
import dev.surge.events.order.OrderPlaced;
import dev.surge.events.order.OrderStatusChanged;
import dev.surge.messaging.EventConsumer;
import dev.surge.messaging.Inbox;
import reactor.core.publisher.Mono;

/**
 * Reads cart-order's orders topic for the two facts fulfilment acts on: the order {@code CONFIRMED}
 * (cart-order accepted its payment: ship it) and {@code OrderCancelled} (stop it). Other status changes
 * and {@code OrderPlaced} are passed over on purpose.
 */
@Component
class OrderEventsConsumer implements EventConsumer {

    static final String NAME = "shipments";

    /** The status in which cart-order has accepted the payment: the order is to be shipped. */
    private static final String CONFIRMED = "CONFIRMED";

    private final Inbox inbox;
    private final Shipments shipments;

    OrderEventsConsumer(Inbox inbox, Shipments shipments) {
        this.inbox = inbox;
        this.shipments = shipments;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<String> topics() {
        return Set.of(Topics.ORDERS);
    }

    @Override
    public Mono<Void> handle(EventEnvelope<?> event) {
        if (!(event.payload() instanceof OrderEvent order)) {
            return Mono.empty();
        }
        return switch (order) {
            case OrderCancelled cancelled -> inbox.handleOnce(NAME, event.eventId(),
                    () -> shipments.cancel(cancelled.orderId(), cancelled.reason())).then();
            case OrderPlaced placed -> Mono.empty();
            case OrderStatusChanged changed -> CONFIRMED.equals(changed.to())
                    ? inbox.handleOnce(NAME, event.eventId(), () -> shipments.startConfirmed(changed.orderId())).then()
                    : Mono.empty();
        };
    }
}
