package dev.surge.service.health;

import java.util.concurrent.atomic.AtomicReference;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.boot.health.contributor.Status;

import reactor.core.publisher.Mono;

/** A dependency's health check that also keeps its last outcome for the availability gauge. */
class MeteredHealthIndicator implements ReactiveHealthIndicator {

    private final ReactiveHealthIndicator delegate;
    private final AtomicReference<Double> available = new AtomicReference<>(Double.NaN);

    MeteredHealthIndicator(ReactiveHealthIndicator delegate) {
        this.delegate = delegate;
    }

    @Override
    public Mono<Health> health(boolean includeDetails) {
        return record(delegate.health(includeDetails));
    }

    @Override
    public Mono<Health> health() {
        return record(delegate.health());
    }

    /** 1 after the last check found the dependency UP, 0 after it did not, NaN before the first. */
    double available() {
        return available.get();
    }

    private Mono<Health> record(Mono<Health> check) {
        return check
                .doOnNext(health -> available.set(Status.UP.equals(health.getStatus()) ? 1.0 : 0.0))
                .doOnError(failure -> available.set(0.0));
    }
}
