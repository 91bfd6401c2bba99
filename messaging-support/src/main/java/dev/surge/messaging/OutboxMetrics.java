package dev.surge.messaging;

import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Mono;

/**
 * The outbox gauges: {@code surge.outbox.backlog} (rows waiting for the relay) and
 * {@code surge.outbox.parked} (rows Kafka refuses). A scrape must not query the database on the
 * registry's thread, so the relay loop reads the counts and the gauges show the last reading. Every
 * instance reads the same table: aggregate them with max, not sum.
 */
class OutboxMetrics {

    private final OutboxOperations operations;
    private final AtomicLong backlog = new AtomicLong();
    private final AtomicLong parked = new AtomicLong();

    /** @param registry where the gauges go; {@code null} in a service without metrics */
    OutboxMetrics(OutboxOperations operations, MeterRegistry registry) {
        this.operations = operations;
        if (registry != null) {
            Gauge.builder("surge.outbox.backlog", backlog, AtomicLong::get)
                    .description("Outbox rows not yet published and not parked")
                    .baseUnit("rows")
                    .register(registry);
            Gauge.builder("surge.outbox.parked", parked, AtomicLong::get)
                    .description("Outbox rows parked because Kafka refuses them")
                    .baseUnit("rows")
                    .register(registry);
        }
    }

    Mono<Void> refresh() {
        return operations.counts()
                .doOnNext(counts -> {
                    backlog.set(counts.pending());
                    parked.set(counts.parked());
                })
                .then();
    }

    long backlog() {
        return backlog.get();
    }

    long parked() {
        return parked.get();
    }
}
