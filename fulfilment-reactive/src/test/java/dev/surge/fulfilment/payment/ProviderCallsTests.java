package dev.surge.fulfilment.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

class ProviderCallsTests {

    private static final PaymentProperties SETTINGS = new PaymentProperties(Duration.ofSeconds(2), 3, Duration.ofMillis(200),
            Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(5), 50);

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final ProviderCalls calls = new ProviderCalls(SETTINGS, meters);

    @Test
    void aCallWithoutAnswerIsCutOffAtTheCallTimeoutAndSentAgainUntilTheRetriesAreSpent() {
        AtomicInteger sent = new AtomicInteger();

        StepVerifier.withVirtualTime(() -> calls.call("o:1:charge", () -> {
                    sent.incrementAndGet();
                    return Mono.<String>never();
                }))
                .expectSubscription()
                .thenAwait(SETTINGS.retryBudget())
                .expectErrorSatisfies(failure -> assertThat(failure)
                        .isInstanceOf(ProviderCalls.ProviderGaveUp.class)
                        .hasMessageContaining("4 calls"))
                .verify(Duration.ofSeconds(5));

        assertThat(sent).hasValue(4);
        assertThat(meters.counter("surge.payments.provider.calls", "result", "timeout").count()).isEqualTo(4);
    }

    @Test
    void anUnavailableProviderIsAskedAgainAndItsLaterAnswerCounts() {
        AtomicInteger sent = new AtomicInteger();

        StepVerifier.withVirtualTime(() -> calls.call("o:1:charge", () -> sent.incrementAndGet() < 3
                        ? Mono.error(new ProviderUnavailable("503"))
                        : Mono.just("ch_1")))
                .expectSubscription()
                .thenAwait(Duration.ofSeconds(5))
                .expectNext("ch_1")
                .verifyComplete();

        assertThat(sent).hasValue(3);
        assertThat(meters.counter("surge.payments.provider.calls", "result", "unavailable").count()).isEqualTo(2);
        assertThat(meters.counter("surge.payments.provider.calls", "result", "answered").count()).isEqualTo(1);
    }

    @Test
    void anErrorThatIsNotAnOutageIsNotRetried() {
        AtomicInteger sent = new AtomicInteger();

        StepVerifier.create(calls.call("o:1:charge", () -> {
                    sent.incrementAndGet();
                    return Mono.<String>error(new IllegalStateException("bad request"));
                }))
                .expectError(IllegalStateException.class)
                .verify(Duration.ofSeconds(5));

        assertThat(sent).hasValue(1);
    }

    @Test
    void aRetryBudgetThatDoesNotFitTheLeaseIsRefusedAtStart() {
        // four calls of 2 s, and backoffs of 0.2, 0.4 and 0.8 s with up to half of each again as jitter
        assertThat(SETTINGS.retryBudget()).isEqualTo(Duration.ofMillis(10_100));
        assertThatIllegalArgumentException().isThrownBy(() -> new PaymentProperties(Duration.ofSeconds(2), 3,
                Duration.ofMillis(200), Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(5), 50));
    }
}
