package dev.surge.fulfilment.payment;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.surge.messaging.StreamLifecycle;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Finishes charges and refunds nobody works on any more: the instance that recorded one crashed before
 * it settled it, or the provider stayed away through a whole retry budget (a refund), or a refund waited
 * for its charge. Every instance polls; a row is taken with {@code SKIP LOCKED} and a lease, so two
 * instances never take one at once, and the provider sees the row's own idempotency key again, so a
 * charge made before the crash is answered, not made a second time.
 */
@Configuration(proxyBeanMethods = false)
class PendingPaymentRecovery {

    private static final Logger log = LoggerFactory.getLogger(PendingPaymentRecovery.class);

    @Bean
    SmartInitializingSingleton recoverPendingPayments(StreamLifecycle streams, R2dbcPaymentRepository payments,
            ChargePayment charging, RefundPayment refunding, PaymentProperties settings) {
        return () -> streams.register("pending payment recovery", () -> Flux.interval(settings.recoveryInterval())
                .onBackpressureDrop()
                .concatMap(tick -> recover(payments, charging, refunding, settings), 1));
    }

    static Mono<Long> recover(R2dbcPaymentRepository payments, ChargePayment charging, RefundPayment refunding,
            PaymentProperties settings) {
        // one row at a time, each leased just before it is settled: a batch leased at once would see its
        // last rows' leases run out while the first ones still used their retry budgets, and another
        // instance take them meanwhile
        return Flux.range(0, settings.recoveryBatch())
                .concatMap(round -> payments.takeAbandoned(settings.lease(), 1)
                        .flatMap(taken -> taken.isEmpty() ? Mono.just(false) : settle(taken.getFirst(), charging, refunding)
                                .onErrorResume(failure -> {
                                    // the lease runs out and a later round tries again
                                    log.warn("Recovering {} failed: {}", taken.getFirst().payment().idempotencyKey(),
                                            failure.toString());
                                    return Mono.empty();
                                })
                                .thenReturn(true)), 1)
                .takeWhile(Boolean::booleanValue)
                .count()
                .onErrorResume(failure -> {
                    log.warn("Pending payment recovery round failed; the next one tries again: {}", failure.toString());
                    return Mono.just(0L);
                });
    }

    private static Mono<Void> settle(R2dbcPaymentRepository.Pending pending, ChargePayment charging, RefundPayment refunding) {
        return switch (pending.payment().kind()) {
            case CHARGE -> charging.settle(pending);
            case REFUND -> refunding.settle(pending);
        };
    }
}
