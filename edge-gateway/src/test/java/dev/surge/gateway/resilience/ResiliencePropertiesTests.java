package dev.surge.gateway.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;

class ResiliencePropertiesTests {

    @Test
    void aBreakerNamedWithoutSettingsGetsTheDefaults() {
        ResilienceProperties properties = bind(Map.of("surge.gateway.resilience.breakers.catalog.timeout", "2s"));

        ResilienceProperties.Breaker catalog = properties.breaker("catalog");
        assertThat(catalog.timeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(catalog.maxConcurrentCalls()).isEqualTo(512);
        assertThat(catalog.retryAfterSeconds()).isEqualTo(10);
        assertThat(properties.lastGood().ttl()).isEqualTo(Duration.ofHours(1));
        assertThat(properties.lastGood().maxBodySize().toKilobytes()).isEqualTo(256);
    }

    @Test
    void turnsSettingsIntoATimeBasedBreakerThatIgnoresAFullBulkhead() {
        ResilienceProperties.Breaker catalog = bind(Map.of(
                "surge.gateway.resilience.breakers.catalog.sliding-window", "10s",
                "surge.gateway.resilience.breakers.catalog.wait-in-open", "1500ms")).breaker("catalog");

        CircuitBreakerConfig config = ResilienceConfiguration.circuitBreakerConfig(catalog);

        assertThat(config.getSlidingWindowType()).isEqualTo(CircuitBreakerConfig.SlidingWindowType.TIME_BASED);
        assertThat(config.getSlidingWindowSize()).isEqualTo(10);
        assertThat(config.getSlidingWindowSynchronizationStrategy())
                .isEqualTo(CircuitBreakerConfig.SlidingWindowSynchronizationStrategy.LOCK_FREE);
        assertThat(config.getMinimumNumberOfCalls()).isEqualTo(20);
        assertThat(config.getFailureRateThreshold()).isEqualTo(50f);
        assertThat(config.getPermittedNumberOfCallsInHalfOpenState()).isEqualTo(5);
        assertThat(config.isAutomaticTransitionFromOpenToHalfOpenEnabled()).isTrue();
        assertThat(config.getIgnoreExceptionPredicate().test(BulkheadFullException.createBulkheadFullException(
                io.github.resilience4j.bulkhead.Bulkhead.ofDefaults("catalog")))).isTrue();
        assertThat(catalog.retryAfterSeconds()).isEqualTo(2);
    }

    private static ResilienceProperties bind(Map<String, String> settings) {
        return new Binder(new MapConfigurationPropertySource(settings))
                .bind("surge.gateway.resilience", ResilienceProperties.class)
                .get();
    }
}
