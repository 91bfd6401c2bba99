package dev.surge.order.orders;

import java.time.Duration;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.reactive.TransactionalOperator;

import dev.surge.messaging.StreamLifecycle;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Fails orders whose payment outcome did not arrive within the payment timeout ({@code PAYMENT_TIMEOUT},
 * stock back). Every instance sweeps; {@code FOR UPDATE SKIP LOCKED} gives each overdue order to one of
 * them. One sweep fails a batch in one transaction, each order checked again under its lock, so an
 * outcome that arrived meanwhile wins.
 */
@Configuration(proxyBeanMethods = false)
class UnpaidOrderSweep {

    @Bean
    SmartInitializingSingleton sweepUnpaidOrders(StreamLifecycle streams, OrderLifecycle lifecycle,
            TransactionalOperator transactions, OrderProperties properties) {
        return () -> streams.register("unpaid order sweep", () -> Flux.interval(properties.sweepInterval())
                .onBackpressureDrop()
                .concatMap(tick -> sweep(lifecycle, transactions, properties), 1));
    }

    static Mono<Long> sweep(OrderLifecycle lifecycle, TransactionalOperator transactions, OrderProperties properties) {
        Duration timeout = properties.paymentTimeout();
        return transactions.transactional(lifecycle.overdue(timeout, properties.sweepBatch())
                        .concatMap(lifecycle::expire)
                        .count());
    }
}
