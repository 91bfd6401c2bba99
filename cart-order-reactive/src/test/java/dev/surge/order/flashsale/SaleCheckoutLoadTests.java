package dev.surge.order.flashsale;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

class SaleCheckoutLoadTests {

    private static final long MS = 1_000_000;

    private final AtomicLong now = new AtomicLong(1_000_000 * MS);
    private final SaleCheckoutLoad load = new SaleCheckoutLoad(new FlashSaleProperties.WaitingRoom(true, Duration.ofMillis(100),
            Duration.ofMinutes(2), Duration.ofSeconds(15), "a-secret-of-at-least-thirty-two-characters", Duration.ofMillis(250), 3, 8_000, Duration.ofSeconds(1)),
            now::get);

    @Test
    void fastBuyNowsSayUpAndAFewSlowOnesAmongAHundredSayDown() {
        assertThat(load.verdict()).isEqualTo(SaleCheckoutLoad.Verdict.UP);
        for (int i = 0; i < 99; i++) {
            took(20);
        }
        took(400);
        // 100 samples, one slow: the 99th by rank is fast
        assertThat(load.p99Nanos()).isEqualTo(20 * MS);
        nextTick();
        assertThat(load.verdict()).isEqualTo(SaleCheckoutLoad.Verdict.UP);
        took(400);
        // 101 samples, two slow: the 100th by rank is a slow one
        assertThat(load.p99Nanos()).isEqualTo(400 * MS);
        nextTick();
        assertThat(load.verdict()).isEqualTo(SaleCheckoutLoad.Verdict.DOWN);
        // a second later they are forgotten
        now.addAndGet(1_500 * MS);
        assertThat(load.p99Nanos()).isZero();
        assertThat(load.verdict()).isEqualTo(SaleCheckoutLoad.Verdict.UP);
    }

    @Test
    void moreInFlightThanAllowedSaysDownAndOnlyASalesBuyNowIsCounted() {
        Sinks.Empty<Void> held = Sinks.empty();
        for (int i = 0; i < 4; i++) {
            load.measure(true, held.asMono()).subscribe();
        }
        load.measure(false, held.asMono()).subscribe();
        assertThat(load.inFlight()).isEqualTo(4);
        assertThat(load.verdict()).isEqualTo(SaleCheckoutLoad.Verdict.DOWN);
        held.tryEmitEmpty();
        assertThat(load.inFlight()).isZero();
        assertThat(load.verdict()).isEqualTo(SaleCheckoutLoad.Verdict.UP);
    }

    @Test
    void theP99IsWorkedOutAtMostOnceATickWhileInFlightCountsAtOnce() {
        assertThat(load.verdict()).isEqualTo(SaleCheckoutLoad.Verdict.UP);
        took(400);
        took(400);
        // within the tick the verdict stands on the p99 it worked out last
        assertThat(load.verdict()).isEqualTo(SaleCheckoutLoad.Verdict.UP);
        now.addAndGet(99 * MS);
        assertThat(load.verdict()).isEqualTo(SaleCheckoutLoad.Verdict.UP);
        now.addAndGet(MS);
        assertThat(load.verdict()).isEqualTo(SaleCheckoutLoad.Verdict.DOWN);

        // the in-flight count is not held back by the tick
        now.addAndGet(1_500 * MS);
        assertThat(load.verdict()).isEqualTo(SaleCheckoutLoad.Verdict.UP);
        Sinks.Empty<Void> held = Sinks.empty();
        for (int i = 0; i < 4; i++) {
            load.measure(true, held.asMono()).subscribe();
        }
        assertThat(load.verdict()).isEqualTo(SaleCheckoutLoad.Verdict.DOWN);
        held.tryEmitEmpty();
    }

    /** The waiting room's next tick (100 ms here), still well inside the p99's one-second window. */
    private void nextTick() {
        now.addAndGet(100 * MS);
    }

    private void took(long millis) {
        Sinks.Empty<Void> checkout = Sinks.empty();
        load.measure(true, checkout.asMono().then(Mono.just("placed"))).subscribe();
        now.addAndGet(millis * MS);
        checkout.tryEmitEmpty();
        // every sample ends at the same instant, well inside the window
        now.addAndGet(-millis * MS);
    }
}
