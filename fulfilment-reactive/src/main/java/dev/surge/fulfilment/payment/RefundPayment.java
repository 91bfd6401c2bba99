package dev.surge.fulfilment.payment;

import java.util.Optional;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;

import dev.surge.events.fulfilment.PaymentRefunded;
import dev.surge.messaging.Outbox;
import reactor.core.publisher.Mono;

/**
 * Refunds one charged attempt exactly once, only because cart-order asked ({@code RefundRequested}):
 * the refund's row is {@code PENDING} under its own idempotency key, taken like a charge, and its
 * outcome and {@code PaymentRefunded} are written in one transaction. On purpose, without an error that
 * would loop: an attempt that was never charged (declined, failed, never requested) is recorded
 * {@code NOT_CHARGED}; more than was charged is {@code REJECTED}; a charge still {@code PENDING}, or a
 * provider that does not answer, leaves the refund {@code PENDING} for the recovery poll, since a
 * refund cart-order decided must happen in the end.
 */
@Component
public class RefundPayment {

    private static final Logger log = LoggerFactory.getLogger(RefundPayment.class);

    private final R2dbcPaymentRepository payments;
    private final PaymentProvider provider;
    private final ProviderCalls calls;
    private final Outbox outbox;
    private final TransactionalOperator transactions;
    private final PaymentProperties settings;

    RefundPayment(R2dbcPaymentRepository payments, PaymentProvider provider, ProviderCalls calls, Outbox outbox,
            TransactionalOperator transactions, PaymentProperties settings) {
        this.payments = payments;
        this.provider = provider;
        this.calls = calls;
        this.outbox = outbox;
        this.transactions = transactions;
        this.settings = settings;
    }

    public Mono<Void> refundOnce(UUID orderId, int attempt) {
        return payments.take(PaymentKind.REFUND, orderId, attempt, settings.lease())
                .flatMap(this::settle);
    }

    Mono<Void> settle(R2dbcPaymentRepository.Pending pending) {
        PaymentRecord refund = pending.payment();
        return payments.charge(refund.orderId(), refund.attempt())
                .map(Optional::of)
                .defaultIfEmpty(Optional.empty())
                .flatMap(charge -> charge.map(found -> against(refund, found)).orElseGet(() -> notCharged(refund)));
    }

    private Mono<Void> against(PaymentRecord refund, PaymentRecord charge) {
        return switch (charge.status()) {
            case SUCCEEDED -> refund.amount().amount() > charge.amount().amount()
                    || !refund.amount().currency().equals(charge.amount().currency())
                    ? reject(refund, "AMOUNT_EXCEEDS_CHARGE", "asked to refund " + refund.amount() + " of a charge of " + charge.amount())
                    : payBack(refund, charge);
            case PENDING -> {
                // the charge is still being settled: the refund waits for it, its lease lets the recovery poll try again
                log.info("Refund {} waits for its charge to be settled", refund.idempotencyKey());
                yield Mono.empty();
            }
            default -> notCharged(refund);
        };
    }

    private Mono<Void> payBack(PaymentRecord refund, PaymentRecord charge) {
        RefundCommand command = new RefundCommand(refund.idempotencyKey(), charge.providerRef(), refund.amount());
        return calls.call(refund.idempotencyKey(), () -> provider.refund(command))
                .flatMap(outcome -> switch (outcome) {
                    case RefundOutcome.Refunded refunded -> transactions.transactional(
                            payments.settle(refund.id(), PaymentStatus.REFUNDED, refunded.refundId(), null, null)
                                    .filter(settled -> settled)
                                    .flatMap(settled -> outbox.append(ChargePayment.envelope(refund,
                                            new PaymentRefunded(refund.orderId(), refund.attempt(), refunded.refundId(), refund.amount())))));
                    case RefundOutcome.Refused refused -> reject(refund, refused.code(), refused.message());
                })
                .onErrorResume(ProviderCalls.ProviderGaveUp.class, gaveUp -> {
                    log.warn("Refund {} stays pending, the recovery poll tries again: {}", refund.idempotencyKey(), gaveUp.getMessage());
                    return Mono.empty();
                });
    }

    private Mono<Void> notCharged(PaymentRecord refund) {
        log.warn("Refund {} asked for an attempt that was never charged; nothing to pay back", refund.idempotencyKey());
        return payments.settle(refund.id(), PaymentStatus.NOT_CHARGED, null, "NOT_CHARGED",
                        "the attempt was never charged, so nothing was paid back")
                .then();
    }

    private Mono<Void> reject(PaymentRecord refund, String code, String message) {
        log.warn("Refund {} rejected ({}): {}", refund.idempotencyKey(), code, message);
        return payments.settle(refund.id(), PaymentStatus.REJECTED, null, code, message).then();
    }
}
