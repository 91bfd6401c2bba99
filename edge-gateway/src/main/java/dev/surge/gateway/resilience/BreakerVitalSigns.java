package dev.surge.gateway.resilience;

import java.util.List;

import org.springframework.cloud.circuitbreaker.resilience4j.ReactiveResilience4JCircuitBreakerFactory;
import org.springframework.stereotype.Component;

import dev.surge.events.ops.VitalSigns;
import dev.surge.messaging.VitalSignsSource;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;

/**
 * The gateway's part of its vital signs: the state of every configured breaker. A breaker is created on
 * its route's first call; one never called yet is {@code CLOSED}, which is what it starts as.
 */
@Component
class BreakerVitalSigns implements VitalSignsSource {

    private final ResilienceProperties properties;
    private final CircuitBreakerRegistry registry;

    BreakerVitalSigns(ResilienceProperties properties, ReactiveResilience4JCircuitBreakerFactory factory) {
        this.properties = properties;
        this.registry = factory.getCircuitBreakerRegistry();
    }

    @Override
    public List<VitalSigns.Breaker> breakers() {
        return properties.breakers().keySet().stream()
                .sorted()
                .map(name -> new VitalSigns.Breaker(name, registry.find(name)
                        .map(CircuitBreaker::getState)
                        .orElse(CircuitBreaker.State.CLOSED)
                        .name()))
                .toList();
    }
}
