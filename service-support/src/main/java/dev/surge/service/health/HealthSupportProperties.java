package dev.surge.service.health;

import java.time.Duration;
import java.util.List;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Health of the dependencies a service degrades without ({@code surge.health.*}).
 *
 * @param dependencies the health contributors whose outcome is also the gauge
 *        {@code surge.dependency.available{dependency=<name>}}: 1 after a check found it UP, 0 after
 *        one did not, NaN before the first check
 * @param redisTimeout the longest the {@code redis} contributor waits for a PING before it reports
 *        DEGRADED
 */
@Validated
@ConfigurationProperties("surge.health")
public record HealthSupportProperties(
        @DefaultValue({ "redis", "kafka" }) @NotNull List<String> dependencies,
        @DefaultValue("1s") @NotNull Duration redisTimeout) {

    public HealthSupportProperties {
        dependencies = List.copyOf(dependencies);
    }
}
