package dev.surge.fulfilment.shipment;

import java.util.Locale;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;

import dev.surge.events.Event;
import dev.surge.events.EventEnvelope;
import dev.surge.events.fulfilment.OrderAllocated;
import dev.surge.events.fulfilment.OrderDelivered;
import dev.surge.events.fulfilment.OrderShipped;
import dev.surge.messaging.Outbox;
import dev.surge.service.web.Page;
import dev.surge.service.web.PageRequest;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * An order's way from the warehouse to the shopper. A confirmed order gets one shipment, started when
 * cart-order's {@code OrderStatusChanged} to {@code CONFIRMED} arrives; its steps (allocate, ship, deliver) are timers in PostgreSQL
 * that any instance takes when due, each step with its event in one transaction. A cancel stops a
 * shipment that has not left and flags one that has as a return for ops.
 */
@Component
public class Shipments {

    private static final Logger log = LoggerFactory.getLogger(Shipments.class);

    private final R2dbcShipmentRepository shipments;
    private final Outbox outbox;
    private final TransactionalOperator transactions;
    private final ShipmentProperties settings;

    Shipments(R2dbcShipmentRepository shipments, Outbox outbox, TransactionalOperator transactions, ShipmentProperties settings) {
        this.shipments = shipments;
        this.outbox = outbox;
        this.transactions = transactions;
        this.settings = settings;
    }

    /**
     * cart-order confirmed the order: starts its shipment, from the warehouse of the country the paying
     * attempt gave, inside the caller's transaction; nothing for an order that has one or was cancelled.
     * Not on fulfilment's own payment success: cart-order may refuse that success (the order timed out,
     * or a later attempt superseded it) and have it refunded, and then nothing must ship.
     */
    Mono<Void> startConfirmed(UUID orderId) {
        return shipments.paidAttempt(orderId)
                .switchIfEmpty(Mono.fromRunnable(() -> log.warn("Order {} was confirmed without a successful charge here; "
                        + "nothing ships", orderId)))
                .flatMap(paid -> start(orderId, paid.attempt(), paid.country()));
    }

    private Mono<Void> start(UUID orderId, int attempt, String country) {
        String warehouse = Warehouses.forCountry(settings, country);
        String carrier = settings.warehouses().get(warehouse).carrier();
        return shipments.create(orderId, attempt, country, warehouse, carrier, trackingNumber(carrier), settings.allocateDelay())
                .then();
    }

    /** cart-order cancelled the order: stop its shipment, or flag it as a return if it has left. Idempotent. */
    public Mono<Void> cancel(UUID orderId, String reason) {
        return shipments.recordCancellation(orderId, reason)
                .filter(first -> first)
                .flatMap(first -> shipments.stopOrFlagReturn(orderId))
                .doOnNext(before -> {
                    if (before.hasLeft()) {
                        log.info("Order {} was cancelled after its parcel left: flagged as a return", orderId);
                    }
                })
                .then();
    }

    /**
     * Takes every due step of up to {@code poll-batch} shipments in one transaction; emits how many. Rows
     * are locked {@code SKIP LOCKED}, so pollers side by side (instances) take different shipments and
     * each step happens once.
     */
    public Mono<Integer> takeDueSteps() {
        Mono<Integer> steps = shipments.lockDue(settings.pollBatch())
                .flatMap(due -> Flux.fromIterable(due)
                        .concatMap(this::step)
                        .then(Mono.just(due.size())));
        return transactions.transactional(steps);
    }

    public Mono<Page<ShipmentRecord>> recent(ShipmentStatus status, Boolean returnRequested, PageRequest page) {
        return shipments.recent(status, returnRequested, page);
    }

    private Mono<Void> step(R2dbcShipmentRepository.DueStep due) {
        if (due.cancelled() && !due.status().hasLeft()) {
            // a cancel that raced the poll: what has not left stays in the warehouse; a parcel on its way is
            // delivered all the same (it is flagged as a return) and the order's status is cart-order's
            return shipments.advance(due.orderId(), ShipmentStatus.STOPPED, null);
        }
        return switch (due.status()) {
            case AWAITING_ALLOCATION -> shipments.advance(due.orderId(), ShipmentStatus.ALLOCATED, settings.shipDelay())
                    .then(publish(due, 1, new OrderAllocated(due.orderId(), due.warehouse())));
            case ALLOCATED -> shipments.advance(due.orderId(), ShipmentStatus.SHIPPED, settings.deliverDelay())
                    .then(publish(due, 2, new OrderShipped(due.orderId(), due.carrier(), due.trackingNumber())));
            case SHIPPED -> shipments.advance(due.orderId(), ShipmentStatus.DELIVERED, null)
                    .then(publish(due, 3, new OrderDelivered(due.orderId())));
            case DELIVERED, STOPPED -> shipments.advance(due.orderId(), due.status(), null);
        };
    }

    /** Fulfilment events are versioned by step (1 allocated, 2 shipped, 3 delivered). */
    private Mono<Void> publish(R2dbcShipmentRepository.DueStep due, long step, Event event) {
        return outbox.append(EventEnvelope.of(due.orderId().toString(), step, event));
    }

    /** A carrier-style tracking number: the carrier's initials and 16 hex digits that no other parcel has. */
    private static String trackingNumber(String carrier) {
        String prefix = carrier.replaceAll("[^A-Za-z]", "").toUpperCase(Locale.ROOT);
        prefix = prefix.substring(0, Math.min(3, prefix.length()));
        return prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toUpperCase(Locale.ROOT);
    }
}
