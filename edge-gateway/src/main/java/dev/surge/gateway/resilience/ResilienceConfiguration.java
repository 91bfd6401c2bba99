package dev.surge.gateway.resilience;

import java.time.Duration;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.cloud.circuitbreaker.resilience4j.ReactiveResilience4JCircuitBreakerFactory;
import org.springframework.cloud.circuitbreaker.resilience4j.ReactiveResilience4jBulkheadProvider;
import org.springframework.cloud.circuitbreaker.resilience4j.Resilience4JConfigurationProperties;
import org.springframework.cloud.client.circuitbreaker.Customizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.ErrorResponse;

import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;

/**
 * Applies {@link ResilienceProperties} to the breakers the gateway's {@code CircuitBreaker} filters
 * create. Spring Cloud CircuitBreaker keys a breaker and its bulkhead by the filter's name, so both
 * are configured under the service's name.
 */
@Configuration(proxyBeanMethods = false)
class ResilienceConfiguration {

    private static final Log log = LogFactory.getLog(ResilienceConfiguration.class);

    @Bean
    Customizer<ReactiveResilience4JCircuitBreakerFactory> breakersFromSettings(ResilienceProperties properties,
            Resilience4JConfigurationProperties factorySettings) {
        return factory -> {
            // Spring Cloud decides per breaker, when it creates one, from this map whether to apply the time
            // limit; filled here so that our settings stay the one place that says which breakers guard streams
            properties.breakers().forEach((service, breaker) -> {
                if (breaker.streaming()) {
                    factorySettings.getDisableTimeLimiterMap().put(service, true);
                }
            });
            properties.breakers().forEach((service, breaker) -> factory.configure(builder -> builder
                    .circuitBreakerConfig(circuitBreakerConfig(breaker))
                    .timeLimiterConfig(TimeLimiterConfig.custom().timeoutDuration(breaker.timeout()).build()), service));
            // one listener per breaker, added when the breaker is first created (a per-call customizer would add one per call)
            factory.getCircuitBreakerRegistry().getEventPublisher().onEntryAdded(added -> added.getAddedEntry()
                    .getEventPublisher()
                    .onStateTransition(event -> log.warn("circuit breaker " + event.getCircuitBreakerName() + ": "
                            + event.getStateTransition())));
        };
    }

    @Bean
    Customizer<ReactiveResilience4jBulkheadProvider> bulkheadsFromSettings(ResilienceProperties properties) {
        return provider -> properties.breakers().forEach((service, breaker) -> provider.configure(builder -> builder
                .bulkheadConfig(BulkheadConfig.custom()
                        .maxConcurrentCalls(breaker.maxConcurrentCalls())
                        // over the limit, answer at once (stale or 503): waiting behind a sick service only adds latency
                        .maxWaitDuration(Duration.ZERO)
                        .build()), service));
    }

    static CircuitBreakerConfig circuitBreakerConfig(ResilienceProperties.Breaker breaker) {
        return CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.TIME_BASED)
                // the default window takes a ReentrantLock per recorded call: two event loops recording at once
                // would park one of them (BlockHound caught it under 60 concurrent calls); lock-free never waits
                .slidingWindowSynchronizationStrategy(CircuitBreakerConfig.SlidingWindowSynchronizationStrategy.LOCK_FREE)
                .slidingWindowSize(breaker.slidingWindowSeconds())
                .minimumNumberOfCalls(breaker.minimumCalls())
                .failureRateThreshold(breaker.failureRateThreshold())
                .waitDurationInOpenState(breaker.waitInOpen())
                .permittedNumberOfCallsInHalfOpenState(breaker.probesInHalfOpen())
                // half-open after the wait even with no traffic, so the state metric tells the truth
                .automaticTransitionFromOpenToHalfOpenEnabled(true)
                // a full bulkhead is our own load shedding, not the service failing: it must not open the breaker
                .ignoreExceptions(BulkheadFullException.class)
                // nor is a client's own error raised on the way (a body over the size limit): no client may open it;
                // nor one instance's failure while another is healthy: that instance's own breaker counts it
                .ignoreException(failure -> failure instanceof ErrorResponse response
                        && response.getStatusCode().is4xxClientError() || failure instanceof InstanceFailure)
                .build();
    }
}
