package dev.surge.fulfilment.payment;

import reactor.core.publisher.Mono;

/**
 * The port every payment provider adapter implements. What an adapter must honour:
 * <ul>
 * <li>Every call carries the operation's idempotency key ({@code <order id>:<attempt>:charge} or
 * {@code ...:refund}) to the provider, as Stripe's {@code Idempotency-Key} header: the same key answers
 * the first call's result and never charges or refunds a second time, however often it is sent.</li>
 * <li>A decline is an outcome ({@link ChargeOutcome.Declined}), not an error: it is final for that key.</li>
 * <li>Only what may be sent again signals {@link ProviderUnavailable}: the provider refused before it
 * acted (5xx, connection refused, rate limited). The caller sends it again with the same key.</li>
 * <li>The adapter does not time out on its own behalf; the caller puts a limit on every call
 * ({@code surge.payments.call-timeout}). A timeout means <em>unknown</em>: the provider may have charged.
 * It is retried with the same key, which returns that charge if there was one.</li>
 * <li>It never blocks an event-loop thread: a blocking SDK runs on {@code boundedElastic}.</li>
 * </ul>
 */
public interface PaymentProvider {

    /** Charges once per idempotency key; the same key answers the first result. */
    Mono<ChargeOutcome> charge(ChargeCommand command);

    /** Refunds (part of) a charge once per idempotency key; the same key answers the first result. */
    Mono<RefundOutcome> refund(RefundCommand command);
}
