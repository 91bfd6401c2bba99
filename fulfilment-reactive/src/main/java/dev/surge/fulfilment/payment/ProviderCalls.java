package dev.surge.fulfilment.payment;

import java.util.function.Supplier;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;

import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * Every call to the provider, with its limits: each call has {@code call-timeout}; a timeout or a
 * {@link ProviderUnavailable} is sent again with the same idempotency key (the key is what makes the
 * retry safe) with backoff, {@code retries} times; then the call fails with {@link ProviderGaveUp}.
 */
@Component
class ProviderCalls {

    private final PaymentProperties settings;
    private final MeterRegistry meters;

    @Autowired
    ProviderCalls(PaymentProperties settings, ObjectProvider<MeterRegistry> meters) {
        this(settings, meters.getIfAvailable(() -> Metrics.globalRegistry));
    }

    ProviderCalls(PaymentProperties settings, MeterRegistry meters) {
        this.settings = settings;
        this.meters = meters;
    }

    /**
     * One operation with its retries. Every call is counted in {@code surge.payments.provider.calls}
     * (tag {@code result}: {@code answered}, {@code timeout}, {@code unavailable}, {@code error}).
     */
    <T> Mono<T> call(String idempotencyKey, Supplier<Mono<T>> call) {
        return Mono.defer(call)
                .timeout(settings.callTimeout(), Mono.error(() -> new CallTimedOut(
                        "no answer within " + settings.callTimeout().toMillis() + " ms for " + idempotencyKey)))
                .doOnEach(signal -> {
                    if (signal.isOnNext()) {
                        count("answered");
                    }
                    else if (signal.isOnError()) {
                        count(signal.getThrowable() instanceof CallTimedOut ? "timeout"
                                : signal.getThrowable() instanceof ProviderUnavailable ? "unavailable" : "error");
                    }
                })
                .retryWhen(Retry.backoff(settings.retries(), settings.initialBackoff())
                        .maxBackoff(settings.maxBackoff())
                        .filter(ProviderUnavailable.class::isInstance)
                        .onRetryExhaustedThrow((spec, signal) -> new ProviderGaveUp(signal.totalRetries() + 1, signal.failure())));
    }

    private void count(String result) {
        meters.counter("surge.payments.provider.calls", "result", result).increment();
    }

    /** A call without an answer in time: its outcome is unknown, so it is sent again with the same key. */
    static class CallTimedOut extends ProviderUnavailable {

        CallTimedOut(String message) {
            super(message);
        }
    }

    /** The provider did not answer within the retry budget; the outcome of the key is unknown. */
    static class ProviderGaveUp extends RuntimeException {

        ProviderGaveUp(long calls, Throwable last) {
            super("the payment provider did not answer in " + calls + " calls: " + last.getMessage(), last);
        }
    }
}
