package dev.surge.fulfilment.payment;

import java.time.Duration;
import java.util.Set;

import org.springframework.stereotype.Component;

import dev.surge.events.EventEnvelope;
import dev.surge.events.Topics;
import dev.surge.events.order.PaymentRequested;
import dev.surge.events.order.RefundRequested;
import dev.surge.messaging.EventConsumer;
import dev.surge.messaging.Inbox;
import dev.surge.messaging.MessagingProperties;
import reactor.core.publisher.Mono;

/**
 * Reads cart-order's payment and refund requests ({@code shop.payment-requests.v1}, which only
 * fulfilment reads). Each request is recorded {@code PENDING} in the inbox's transaction, so a
 * redelivered event records nothing; then, redelivered or not, a row still {@code PENDING} is taken to
 * the provider: a delivery that crashed after recording is finished by the next one. The row's unique
 * (order, attempt, kind) makes a second request for the same attempt under another event id no second
 * charge either.
 */
@Component
class PaymentRequestsConsumer implements EventConsumer {

    static final String NAME = "payments";

    private final Inbox inbox;
    private final R2dbcPaymentRepository payments;
    private final ChargePayment charging;
    private final RefundPayment refunding;

    PaymentRequestsConsumer(Inbox inbox, R2dbcPaymentRepository payments, ChargePayment charging, RefundPayment refunding,
            PaymentProperties settings, MessagingProperties messaging) {
        Duration handlerTimeout = messaging.receiver().handlerTimeout();
        // a delivery that settles its payment must finish before the receiver counts the attempt as failed
        if (settings.retryBudget().compareTo(handlerTimeout) >= 0) {
            throw new IllegalStateException("surge.payments: the retry budget " + settings.retryBudget()
                    + " must be under surge.messaging.receiver.handler-timeout " + handlerTimeout);
        }
        this.inbox = inbox;
        this.payments = payments;
        this.charging = charging;
        this.refunding = refunding;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<String> topics() {
        return Set.of(Topics.PAYMENT_REQUESTS);
    }

    @Override
    public Mono<Void> handle(EventEnvelope<?> event) {
        return switch (event.payload()) {
            case PaymentRequested request -> inbox.handleOnce(NAME, event.eventId(), () -> payments.recordCharge(request).then())
                    .then(charging.chargeOnce(request.orderId(), request.attempt()));
            case RefundRequested request -> inbox.handleOnce(NAME, event.eventId(), () -> payments.recordRefund(request).then())
                    .then(refunding.refundOnce(request.orderId(), request.attempt()));
            default -> Mono.empty();
        };
    }
}
