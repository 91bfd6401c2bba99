package dev.surge.messaging;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How a service publishes its vital signs on {@code shop.ops.v1} ({@code surge.vital-signs.*}).
 *
 * @param enabled  whether this instance publishes them
 * @param interval how often; notify shows the newest of each instance once a second
 */
@Validated
@ConfigurationProperties("surge.vital-signs")
public record VitalSignsProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("1s") @NotNull Duration interval) {
}
