package dev.surge.gateway.resilience;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.cloud.circuitbreaker.resilience4j.ReactiveResilience4JCircuitBreakerFactory;
import org.springframework.stereotype.Component;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;

/**
 * One breaker per instance of a service that runs as several, with the service's own settings
 * ({@link ResilienceProperties}), named {@code <service>@<host>:<port>}. It counts what the instance
 * did (refused a connection, reset it, hung), so the gateway passes over an instance whose
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

    /**
     * The instance's breaker, created on first use. Unlike the service's, a half-open one that has not
     * heard back from its probes within the open-state wait opens again: probes cut off by the time
     * limit, or by a shopper who left, are not counted, and would otherwise hold it half open for good.
     */
    public CircuitBreaker of(String service, URI instance) {
        return breakers.computeIfAbsent(new Instance(service, instance), key -> {
            ResilienceProperties.Breaker settings = properties.breaker(service);
            return registry.circuitBreaker(service + "@" + instance.getRawAuthority(),
                    () -> CircuitBreakerConfig.from(ResilienceConfiguration.circuitBreakerConfig(settings))
                            .maxWaitDurationInHalfOpenState(settings.waitInOpen())
                            .build());
        });
    }

    /**
     * How long one attempt on an instance may wait for its answer's headers: the service's time limit
     * less a tenth (at least 100 ms), so that a hung instance's call fails where its breaker counts it,
     * before the service's time limit cuts it uncounted.
     */
    public Duration attemptTimeout(String service) {
        Duration timeout = properties.breaker(service).timeout();
        Duration margin = timeout.dividedBy(10);
        return timeout.minus(margin.compareTo(Duration.ofMillis(100)) < 0 ? Duration.ofMillis(100) : margin);
    }

    private record Instance(String service, URI uri) {
    }
}
