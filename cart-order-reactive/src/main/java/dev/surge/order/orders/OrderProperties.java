package dev.surge.order.orders;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/**
 * The order lifecycle's clocks.
 *
 * @param paymentTimeout how long an order waits in {@code PENDING_PAYMENT} for its attempt's outcome before it
 *        fails with {@code PAYMENT_TIMEOUT} and its stock comes back; fulfilment's retries for one attempt stay
 *        well inside it
 * @param sweepInterval how often each instance looks for orders past their payment timeout
 * @param sweepBatch most orders one sweep fails (each in a transaction of its own)
 */
@Validated
@ConfigurationProperties("surge.orders")
public record OrderProperties(
        @DefaultValue("15m") @NotNull Duration paymentTimeout,
        @DefaultValue("30s") @NotNull Duration sweepInterval,
        @DefaultValue("100") @Min(1) @Max(10_000) int sweepBatch) {
}
