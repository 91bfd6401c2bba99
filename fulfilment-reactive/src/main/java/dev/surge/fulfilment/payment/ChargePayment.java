package dev.surge.fulfilment.payment;

import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;

import dev.surge.events.Event;
import dev.surge.events.EventEnvelope;
import dev.surge.events.fulfilment.PaymentFailed;
import dev.surge.events.fulfilment.PaymentSucceeded;
import dev.surge.messaging.Outbox;
import reactor.core.publisher.Mono;

/**
 * Charges one attempt exactly once. The attempt's row is already {@code PENDING} (recorded with the
 * request); this takes it (a lease, so a second taker stands back), calls the provider with the
 * attempt's idempotency key and records the outcome, the outcome event and, for a success, the start of
 * the order's shipment in one transaction. A crash anywhere before that commit leaves the row
 * {@code PENDING}: a redelivery or the recovery poll calls the provider again with the same key, which
 * answers the first charge instead of making a second.
 */
@Component
public class ChargePayment {

    private static final Logger log = LoggerFactory.getLogger(ChargePayment.class);

    static final String PROVIDER_UNAVAILABLE = "PROVIDER_UNAVAILABLE";

    private final R2dbcPaymentRepository payments;
    private final PaymentProvider provider;
    private final ProviderCalls calls;
    private final Outbox outbox;
    private final TransactionalOperator transactions;
    private final PaymentProperties settings;

    ChargePayment(R2dbcPaymentRepository payments, PaymentProvider provider, ProviderCalls calls, Outbox outbox,
            TransactionalOperator transactions, PaymentProperties settings) {
        this.payments = payments;
        this.provider = provider;
        this.calls = calls;
        this.outbox = outbox;
        this.transactions = transactions;
        this.settings = settings;
    }

    /** Charges the attempt if it is still {@code PENDING} and nobody else works on it; otherwise nothing. */
    public Mono<Void> chargeOnce(UUID orderId, int attempt) {
        return payments.take(PaymentKind.CHARGE, orderId, attempt, settings.lease())
                .flatMap(this::settle);
    }

    Mono<Void> settle(R2dbcPaymentRepository.Pending pending) {
        PaymentRecord charge = pending.payment();
        ChargeCommand command = new ChargeCommand(charge.idempotencyKey(), charge.amount(), pending.paymentToken());
        return calls.call(charge.idempotencyKey(), () -> provider.charge(command))
                .onErrorResume(ProviderCalls.ProviderGaveUp.class, gaveUp -> {
                    // the budget is spent well inside cart-order's payment timeout: the shopper hears now, not in 15 minutes
                    log.warn("Charge {} failed as {}: {}", charge.idempotencyKey(), PROVIDER_UNAVAILABLE, gaveUp.getMessage());
                    return Mono.just(new ChargeOutcome.Declined(PROVIDER_UNAVAILABLE,
                            "The payment provider did not answer; try again later."));
                })
                .flatMap(outcome -> transactions.transactional(record(charge, outcome)));
    }

    private Mono<Void> record(PaymentRecord charge, ChargeOutcome outcome) {
        return switch (outcome) {
            case ChargeOutcome.Charged charged -> payments.settle(charge.id(), PaymentStatus.SUCCEEDED, charged.paymentId(), null, null)
                    .filter(settled -> settled)
                    .flatMap(settled -> outbox.append(envelope(charge,
                                    new PaymentSucceeded(charge.orderId(), charge.attempt(), charged.paymentId(), charge.amount()))));
            case ChargeOutcome.Declined declined -> payments.settle(charge.id(), PaymentStatus.FAILED, null, declined.code(),
                            declined.message())
                    .filter(settled -> settled)
                    .flatMap(settled -> outbox.append(envelope(charge,
                            new PaymentFailed(charge.orderId(), charge.attempt(), declined.code(), declined.message()))));
        };
    }

    /** Payment events are versioned by attempt: a later attempt's outcome is newer news about the order. */
    static <E extends Event> EventEnvelope<E> envelope(PaymentRecord payment, E event) {
        return EventEnvelope.of(payment.orderId().toString(), payment.attempt(), event);
    }
}
