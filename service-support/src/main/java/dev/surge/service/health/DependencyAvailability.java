package dev.surge.service.health;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.health.contributor.ReactiveHealthContributor;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.boot.health.registry.ReactiveHealthContributorRegistry;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Puts the outcome of each dependency's health check on the gauge
 * {@code surge.dependency.available{dependency=<name>}}: the contributor is replaced, under the
 * same name, by one that records what it answers. Done once every contributor is registered,
 * whichever module defined it (Kafka's lives in messaging support), so no contributor has to know
 * about metrics. The gauge moves with the checks, that is with every readiness probe.
 */
class DependencyAvailability implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(DependencyAvailability.class);

    private final ObjectProvider<ReactiveHealthContributorRegistry> registries;
    private final ObjectProvider<MeterRegistry> meterRegistries;
    private final List<String> dependencies;

    DependencyAvailability(ObjectProvider<ReactiveHealthContributorRegistry> registries,
            ObjectProvider<MeterRegistry> meterRegistries, List<String> dependencies) {
        this.registries = registries;
        this.meterRegistries = meterRegistries;
        this.dependencies = dependencies;
    }

    @Override
    public void afterSingletonsInstantiated() {
        ReactiveHealthContributorRegistry registry = registries.getIfAvailable();
        MeterRegistry meters = meterRegistries.getIfAvailable();
        if (registry == null || meters == null) {
            log.debug("No reactive health registry or meter registry: dependency gauges off");
            return;
        }
        dependencies.forEach(name -> meter(registry, meters, name));
    }

    private void meter(ReactiveHealthContributorRegistry registry, MeterRegistry meters, String name) {
        ReactiveHealthContributor contributor = registry.getContributor(name);
        if (!(contributor instanceof ReactiveHealthIndicator indicator)) {
            log.debug("No health indicator '{}' to meter", name);
            return;
        }
        MeteredHealthIndicator metered = new MeteredHealthIndicator(indicator);
        registry.unregisterContributor(name);
        registry.registerContributor(name, metered);
        Gauge.builder("surge.dependency.available", metered, MeteredHealthIndicator::available)
                .tag("dependency", name)
                .description("1 when the dependency's last health check found it up, 0 when it did not")
                .register(meters);
    }
}
