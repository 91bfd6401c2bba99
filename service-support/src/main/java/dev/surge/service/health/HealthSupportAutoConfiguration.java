package dev.surge.service.health;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.actuate.endpoint.HttpCodeStatusMapper;
import org.springframework.boot.health.actuate.endpoint.SimpleHttpCodeStatusMapper;
import org.springframework.boot.health.actuate.endpoint.SimpleStatusAggregator;
import org.springframework.boot.health.actuate.endpoint.StatusAggregator;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointProperties;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.health.registry.ReactiveHealthContributorRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;

import io.micrometer.core.instrument.MeterRegistry;

/**
 * Degrade, don't fail: a service's readiness gates only on what it cannot serve without (its own
 * PostgreSQL), while Redis and Kafka, when away, show as {@link DegradedStatus#DEGRADED}
 * components and on the gauge {@code surge.dependency.available}.
 *
 * <ul>
 * <li>The status order and HTTP mapping of every health group know DEGRADED: worse than UP,
 * better than DOWN and OUT_OF_SERVICE, answered with 200. Configured
 * {@code management.endpoint.health.status.*} values are kept; DEGRADED is added where they do not
 * name it, and DOWN and OUT_OF_SERVICE keep their 503 when a mapping names only other statuses
 * (Boot's own mapper drops its defaults as soon as one status is mapped).</li>
 * <li>The {@code redis} contributor reports DEGRADED instead of DOWN (it takes the name of Boot's
 * own Redis check, which then stands back).</li>
 * <li>The contributors named in {@code surge.health.dependencies} feed the gauge.</li>
 * </ul>
 */
@AutoConfiguration(
        beforeName = {
                "org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration",
                "org.springframework.boot.data.redis.autoconfigure.health.DataRedisReactiveHealthContributorAutoConfiguration",
                "org.springframework.boot.data.redis.autoconfigure.health.DataRedisHealthContributorAutoConfiguration" },
        afterName = "org.springframework.boot.data.redis.autoconfigure.DataRedisReactiveAutoConfiguration")
@ConditionalOnClass(HealthEndpointProperties.class)
@EnableConfigurationProperties(HealthSupportProperties.class)
public class HealthSupportAutoConfiguration {

    private static final String DEGRADED = "degraded";

    // The endpoint's properties exist only where the health endpoint is on; elsewhere these beans
    // go unused, and Boot's defaults plus DEGRADED are as good as any.
    @Bean
    @ConditionalOnMissingBean
    StatusAggregator healthStatusAggregator(ObjectProvider<HealthEndpointProperties> properties) {
        HealthEndpointProperties configured = properties.getIfAvailable();
        return new SimpleStatusAggregator(
                statusOrder(configured == null ? null : configured.getStatus().getOrder()));
    }

    @Bean
    @ConditionalOnMissingBean
    HttpCodeStatusMapper healthHttpCodeStatusMapper(ObjectProvider<HealthEndpointProperties> properties) {
        HealthEndpointProperties configured = properties.getIfAvailable();
        return new SimpleHttpCodeStatusMapper(
                httpMapping(configured == null ? null : configured.getStatus().getHttpMapping()));
    }

    /** The configured order (Boot's default when none is), with DEGRADED right before UP unless named. */
    static List<String> statusOrder(List<String> configured) {
        List<String> order = new ArrayList<>(configured == null || configured.isEmpty()
                ? List.of(Status.DOWN.getCode(), Status.OUT_OF_SERVICE.getCode(), Status.UP.getCode(),
                        Status.UNKNOWN.getCode())
                : configured);
        if (order.stream().noneMatch(code -> uniform(code).equals(DEGRADED))) {
            int up = indexOf(order, Status.UP.getCode());
            order.add(up < 0 ? order.size() : up, DegradedStatus.DEGRADED.getCode());
        }
        return order;
    }

    /** DOWN and OUT_OF_SERVICE 503, DEGRADED 200, then whatever is configured on top. */
    static Map<String, Integer> httpMapping(Map<String, Integer> configured) {
        Map<String, Integer> mapping = new LinkedHashMap<>();
        mapping.put(Status.DOWN.getCode(), 503);
        mapping.put(Status.OUT_OF_SERVICE.getCode(), 503);
        mapping.put(DegradedStatus.DEGRADED.getCode(), 200);
        if (configured != null) {
            configured.forEach((code, httpStatus) -> {
                mapping.keySet().removeIf(known -> uniform(known).equals(uniform(code)));
                mapping.put(code, httpStatus);
            });
        }
        return mapping;
    }

    private static int indexOf(List<String> order, String code) {
        for (int i = 0; i < order.size(); i++) {
            if (uniform(order.get(i)).equals(uniform(code))) {
                return i;
            }
        }
        return -1;
    }

    /** Status codes compare as Boot compares them: case and separators do not count. */
    private static String uniform(String code) {
        return code.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    }

    @Bean
    static DependencyAvailability dependencyAvailability(ObjectProvider<ReactiveHealthContributorRegistry> registry,
            ObjectProvider<MeterRegistry> meters, HealthSupportProperties properties) {
        return new DependencyAvailability(registry, meters, properties.dependencies());
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(ReactiveRedisConnectionFactory.class)
    @ConditionalOnBean(ReactiveRedisConnectionFactory.class)
    static class RedisHealthConfiguration {

        /** Named as Boot's Redis contributor is, so that one is not created beside it. */
        @Bean("redisHealthContributor")
        RedisHealthIndicator redisHealthContributor(ReactiveRedisConnectionFactory connections,
                HealthSupportProperties properties) {
            return new RedisHealthIndicator(connections, properties.redisTimeout());
        }
    }
}
