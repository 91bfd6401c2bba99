package dev.surge.gateway.resilience;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.cloud.circuitbreaker.resilience4j.ReactiveResilience4JCircuitBreakerFactory;
import org.springframework.stereotype.Component;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;

/**
 * One breaker per instance of a service that runs as several, with the service's own settings
 * ({@link ResilienceProperties}), named {@code <service>@<host>:<port>}. It counts what the instance
 * did (refused a connection, reset it, timed out), so the gateway passes over an instance whose
 * breaker is open, and the service's breaker only counts a failure when no other instance is
 * healthy. The breakers live in the route breakers' registry: their state changes are logged and
 * they have the same metrics ({@code resilience4j.circuitbreaker.state{name=cart-order@127.0.0.1:8092}}).
 */
@Component
public class InstanceBreakers {

    private final ResilienceProperties properties;
    private final CircuitBreakerRegistry registry;
    private final Map<Instance, CircuitBreaker> breakers = new ConcurrentHashMap<>();

    InstanceBreakers(ResilienceProperties properties, ReactiveResilience4JCircuitBreakerFactory factory) {
        this.properties = properties;
        this.registry = factory.getCircuitBreakerRegistry();
    }

    /** The instance's breaker, created on first use. */
    public CircuitBreaker of(String service, URI instance) {
        return breakers.computeIfAbsent(new Instance(service, instance), key -> registry.circuitBreaker(
                service + "@" + instance.getRawAuthority(),
                () -> ResilienceConfiguration.circuitBreakerConfig(properties.breaker(service))));
    }

    private record Instance(String service, URI uri) {
    }
}
