package dev.surge.fulfilment.payment;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotNull;

/**
 * The simulated payment provider of dev and tests ({@code surge.payments.simulated.enabled}, on by
 * default; a real adapter replaces it behind {@link PaymentProvider}).
 *
 * @param enabled whether the simulated provider is the service's {@link PaymentProvider}
 * @param latency added to every call, as a network round trip would
 * @param failureRate share of calls (0 to 1) refused as {@link ProviderUnavailable} before the provider
 *        acts, chosen at random: retried with the same key, so they slow payments down but never change one
 * @param slowLatency how long {@code tok_slow} takes before it succeeds; keep it under
 *        {@code surge.payments.call-timeout}, or it times out like {@code tok_timeout}
 */
@Validated
@ConfigurationProperties("surge.payments.simulated")
public record SimulatedProviderProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("50ms") @NotNull Duration latency,
        @DefaultValue("0") @DecimalMin("0") @DecimalMax("1") double failureRate,
        @DefaultValue("1s") @NotNull Duration slowLatency) {
}
