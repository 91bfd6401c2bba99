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
 * @param idempotencyRetention how long an {@code Idempotency-Key} record is kept (at least a day, as
 *        the IETF draft asks); older ones are deleted by the same sweep, a few thousand at a time
 */
@Validated
@ConfigurationProperties("surge.orders")
public record OrderProperties(
        @DefaultValue("15m") @NotNull Duration paymentTimeout,
        @DefaultValue("30s") @NotNull Duration sweepInterval,
        @DefaultValue("100") @Min(1) @Max(10_000) int sweepBatch,
        @DefaultValue("1d") @NotNull Duration idempotencyRetention) {

    public OrderProperties {
        if (idempotencyRetention != null && idempotencyRetention.compareTo(Duration.ofDays(1)) < 0) {
            throw new IllegalArgumentException("surge.orders.idempotency-retention must be at least 1 day: "
                    + idempotencyRetention);
        }
    }
}
