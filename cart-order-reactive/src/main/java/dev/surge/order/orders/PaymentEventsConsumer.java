package dev.surge.order.orders;

import java.util.Set;

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
import dev.surge.messaging.EventConsumer;
import dev.surge.messaging.Inbox;
import reactor.core.publisher.Mono;

/**
 * Turns fulfilment's facts ({@code shop.payments.v1}, {@code shop.fulfilment.v1}) into order status.
 * Each event has its effect once (the inbox, in the same transaction as the effect); a repeated,
 * stale or superseded one changes nothing, and a success nobody wants any more becomes a refund
 * request, never a failure that would send the event to the dead letters. The two topics are read
 * side by side, so fulfilment's progress may arrive before the success it follows: it is kept and
 * taken when the success comes ({@link OrderLifecycle#fulfilled}).
 */
@Component
class PaymentEventsConsumer implements EventConsumer {

    static final String NAME = "order-status";

    private final OrderLifecycle lifecycle;
    private final Inbox inbox;

    PaymentEventsConsumer(OrderLifecycle lifecycle, Inbox inbox) {
        this.lifecycle = lifecycle;
        this.inbox = inbox;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<String> topics() {
        return Set.of(Topics.PAYMENTS, Topics.FULFILMENT);
    }

    @Override
    public Mono<Void> handle(EventEnvelope<?> event) {
        Mono<Void> effect = switch (event.payload()) {
            case PaymentEvent payment -> payment(payment);
            case FulfilmentEvent progress -> fulfilment(progress);
            default -> Mono.empty();
        };
        return inbox.handleOnce(NAME, event.eventId(), () -> effect).then();
    }

    private Mono<Void> payment(PaymentEvent payment) {
        return switch (payment) {
            case PaymentSucceeded succeeded -> lifecycle.paymentSucceeded(succeeded.orderId(), succeeded.attempt(),
                    succeeded.paymentId());
            case PaymentFailed failed -> lifecycle.paymentFailed(failed.orderId(), failed.attempt(), failed.reasonCode());
            case PaymentRefunded refunded -> lifecycle.refunded(refunded.orderId(), refunded.attempt());
        };
    }

    private Mono<Void> fulfilment(FulfilmentEvent progress) {
        return switch (progress) {
            case OrderAllocated allocated -> lifecycle.fulfilled(allocated.orderId(), OrderStatus.ALLOCATED);
            case OrderShipped shipped -> lifecycle.fulfilled(shipped.orderId(), OrderStatus.SHIPPED);
            case OrderDelivered delivered -> lifecycle.fulfilled(delivered.orderId(), OrderStatus.DELIVERED);
        };
    }
}
