package dev.surge.fulfilment.payment;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/**
 * How fulfilment talks to the payment provider. The retry budget of one operation
 * ({@link #retryBudget()}: every call timing out, plus the backoffs) must stay inside the lease, so a
 * row is never taken by the recovery poll while its first taker still works on it (checked here), under
 * the consumer's {@code surge.messaging.receiver.handler-timeout} (checked when the consumer is created),
 * and so far inside cart-order's payment timeout (15 min).
 *
 * @param callTimeout the longest one provider call may take; past it the outcome is unknown and the
 *        call is sent again with the same idempotency key
 * @param retries how many more calls after the first, for timeouts and {@link ProviderUnavailable}
 * @param initialBackoff wait before the first retry, doubled for each next one (with jitter)
 * @param maxBackoff the longest wait between two retries
 * @param lease how long the instance that took a {@code PENDING} row holds it; a row whose lease ran out
 *        (its taker crashed, or the provider stayed away) is taken again by the recovery poll
 * @param recoveryInterval how often each instance looks for {@code PENDING} rows whose lease ran out
 * @param recoveryBatch most rows one recovery round takes
 */
@Validated
@ConfigurationProperties("surge.payments")
public record PaymentProperties(
        @DefaultValue("2s") @NotNull Duration callTimeout,
        @DefaultValue("3") @Min(0) @Max(10) int retries,
        @DefaultValue("200ms") @NotNull Duration initialBackoff,
        @DefaultValue("1s") @NotNull Duration maxBackoff,
        @DefaultValue("30s") @NotNull Duration lease,
        @DefaultValue("5s") @NotNull Duration recoveryInterval,
        @DefaultValue("50") @Min(1) @Max(1_000) int recoveryBatch) {

    public PaymentProperties {
        if (callTimeout != null && initialBackoff != null && maxBackoff != null && lease != null) {
            Duration budget = budget(callTimeout, retries, initialBackoff, maxBackoff);
            if (budget.compareTo(lease) >= 0) {
                throw new IllegalArgumentException("surge.payments: the retry budget " + budget
                        + " (every call timing out, plus backoffs with jitter) must be under the lease " + lease);
            }
        }
    }

    /** The longest one charge or refund can take before it is given up for now. */
    public Duration retryBudget() {
        return budget(callTimeout, retries, initialBackoff, maxBackoff);
    }

    private static Duration budget(Duration callTimeout, int retries, Duration initialBackoff, Duration maxBackoff) {
        Duration total = callTimeout.multipliedBy(retries + 1L);
        Duration backoff = initialBackoff;
        for (int retry = 0; retry < retries; retry++) {
            Duration capped = backoff.compareTo(maxBackoff) < 0 ? backoff : maxBackoff;
            // reactor's default jitter adds up to half of the backoff
            total = total.plus(capped).plus(capped.dividedBy(2));
            backoff = backoff.multipliedBy(2);
        }
        return total;
    }
}
