package dev.surge.notify.orders;

import java.util.Set;
import java.util.UUID;

import org.springframework.stereotype.Component;

import dev.surge.events.EventEnvelope;
import dev.surge.events.Topics;
import dev.surge.events.fulfilment.FulfilmentEvent;
import dev.surge.events.fulfilment.OrderAllocated;
import dev.surge.events.fulfilment.OrderDelivered;
import dev.surge.events.fulfilment.OrderShipped;
import dev.surge.events.fulfilment.PaymentEvent;
import dev.surge.events.fulfilment.PaymentFailed;
import dev.surge.events.fulfilment.PaymentRefunded;
import dev.surge.events.fulfilment.PaymentSucceeded;
import dev.surge.events.order.OrderCancelled;
import dev.surge.events.order.OrderEvent;
import dev.surge.events.order.OrderPlaced;
import dev.surge.events.order.OrderStatusChanged;
import dev.surge.messaging.EventConsumer;
import dev.surge.messaging.Inbox;
import dev.surge.notify.mail.Mail;
import dev.surge.notify.mail.MailComposer;
import dev.surge.notify.mail.MailOutbox;
import dev.surge.notify.live.R2dbcShopperFeed;
import dev.surge.notify.ops.OpsFeed;
import reactor.core.publisher.Mono;

/**
 * Keeps the order read model and queues the shopper's mails, both in the transaction of the event
 * that caused them, each event once (the inbox). Status and version come only from
 * {@code shop.orders.v1}, and a status event not newer than the one held changes nothing and mails
 * nothing; {@code shop.payments.v1} and {@code shop.fulfilment.v1} bring details: the failure
 * reason, the tracking number, refunds. Mails: order received, payment confirmed, payment failed,
 * shipped (once both the status and the tracking number are known, whichever comes second),
 * delivered, cancelled, refunded (also when the refund is read before the order's address).
 */
@Component
class OrderEventsConsumer implements EventConsumer {

    static final String NAME = "order-notifications";

    private final R2dbcOrderReadModel orders;
    private final MailComposer mails;
    private final MailOutbox outbox;
    private final Inbox inbox;
    private final R2dbcShopperFeed feed;
    private final OpsFeed firehose;

    OrderEventsConsumer(R2dbcOrderReadModel orders, MailComposer mails, MailOutbox outbox, Inbox inbox,
            R2dbcShopperFeed feed, OpsFeed firehose) {
        this.orders = orders;
        this.mails = mails;
        this.outbox = outbox;
        this.inbox = inbox;
        this.feed = feed;
        this.firehose = firehose;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<String> topics() {
        return Set.of(Topics.ORDERS, Topics.PAYMENTS, Topics.FULFILMENT);
    }

    @Override
    public Mono<Void> handle(EventEnvelope<?> event) {
        return inbox.handleOnce(NAME, event.eventId(), () -> effect(event).then(firehose.announce(event))).then();
    }

    private Mono<Void> effect(EventEnvelope<?> event) {
        return switch (event.payload()) {
            case OrderEvent order -> order(event, order);
            case PaymentEvent payment -> payment(event, payment);
            case FulfilmentEvent progress -> fulfilment(event, progress);
            // by contract: this consumer reads only the three topics above
            default -> Mono.empty();
        };
    }

    private Mono<Void> order(EventEnvelope<?> event, OrderEvent order) {
        return switch (order) {
            case OrderPlaced placed -> placed(event, placed);
            case OrderStatusChanged changed -> orders.status(changed.orderId(), changed.userId(), changed.to(),
                            changed.reason(), event.aggregateVersion(), event.eventId(), event.occurredAt())
                    .flatMap(this::live)
                    .flatMap(snapshot -> statusMail(snapshot, event.eventId(), changed.to(), changed.reason()));
            case OrderCancelled cancelled -> orders.status(cancelled.orderId(), cancelled.userId(), "CANCELLED",
                            cancelled.reason(), event.aggregateVersion(), event.eventId(), event.occurredAt())
                    .flatMap(this::live)
                    .flatMap(snapshot -> statusMail(snapshot, event.eventId(), "CANCELLED", cancelled.reason()));
        };
    }

    private Mono<Void> placed(EventEnvelope<?> event, OrderPlaced placed) {
        return orders.placed(placed.orderId(), placed.userId(), placed.email(), placed.total(), event.aggregateVersion(),
                        event.eventId(), event.occurredAt())
                .flatMap(this::live)
                .filter(order -> order.email() != null)
                .flatMap(order -> queue(mails.orderReceived(order.orderId(), event.eventId(), order.email(), placed.lines(),
                                placed.subtotal(), placed.tax(), placed.shipping(), placed.total()))
                        .then(refundMail(order)));
    }

    private Mono<Void> statusMail(OrderSnapshot order, UUID eventId, String status, String reason) {
        if (order.email() == null) {
            return Mono.empty();
        }
        return switch (status) {
            case "CONFIRMED" -> queue(mails.paymentConfirmed(order.orderId(), eventId, order.email(), order.total()));
            case "PAYMENT_FAILED" -> queue(mails.paymentFailed(order.orderId(), eventId, order.email(),
                    reason != null ? reason : order.paymentFailureReason()));
            case "SHIPPED" -> shippedMail(order);
            case "DELIVERED" -> queue(mails.delivered(order.orderId(), eventId, order.email()));
            case "CANCELLED" -> queue(mails.cancelled(order.orderId(), eventId, order.email(), reason));
            // PENDING_PAYMENT again (a retry) and ALLOCATED are not news a shopper needs by mail
            default -> Mono.empty();
        };
    }

    private Mono<Void> payment(EventEnvelope<?> event, PaymentEvent payment) {
        return switch (payment) {
            // the confirmation mail follows cart-order's CONFIRMED, which decides whether this charge counts
            case PaymentSucceeded succeeded -> Mono.empty();
            case PaymentFailed failed -> orders.paymentFailed(failed.orderId(), failed.reasonCode(), failed.message(),
                    event.occurredAt()).flatMap(this::live).then();
            case PaymentRefunded refunded -> orders.refunded(refunded.orderId(), refunded.amount(), event.eventId(),
                    event.occurredAt()).flatMap(this::live).flatMap(this::refundMail);
        };
    }

    private Mono<Void> fulfilment(EventEnvelope<?> event, FulfilmentEvent progress) {
        return switch (progress) {
            case OrderShipped shipped -> orders.shipped(shipped.orderId(), shipped.carrier(), shipped.trackingNumber(),
                    event.occurredAt()).flatMap(this::live).flatMap(this::shippedMail);
            // the status (and its mail) comes from shop.orders.v1
            case OrderAllocated allocated -> Mono.empty();
            case OrderDelivered delivered -> Mono.empty();
        };
    }

    /**
     * Appends the change to the shopper's live feed, in this transaction, once the order has an owner
     * and a status (a detail read before the order's first event shows in the snapshot that event makes).
     */
    private Mono<OrderSnapshot> live(OrderSnapshot order) {
        if (order.version() == 0 || order.userId() == null) {
            return Mono.just(order);
        }
        return feed.append(order.userId(), order.view()).thenReturn(order);
    }

    /** The shipped mail, keyed by the status event, once the status and the tracking number are both known. */
    private Mono<Void> shippedMail(OrderSnapshot order) {
        if (order.email() == null || order.shippedEventId() == null || order.trackingNumber() == null) {
            return Mono.empty();
        }
        return queue(mails.shipped(order.orderId(), order.shippedEventId(), order.email(), order.carrier(),
                order.trackingNumber()));
    }

    /** The mail of a refund not mailed yet, once the order's address is known. */
    private Mono<Void> refundMail(OrderSnapshot order) {
        if (order.email() == null || order.refundEventId() == null || order.refund() == null) {
            return Mono.empty();
        }
        return queue(mails.refunded(order.orderId(), order.refundEventId(), order.email(), order.refund()))
                .then(orders.refundMailed(order.orderId()));
    }

    private Mono<Void> queue(Mail mail) {
        return outbox.append(mail).then();
    }
}
