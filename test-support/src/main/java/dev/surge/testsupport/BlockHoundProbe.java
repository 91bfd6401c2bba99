package dev.surge.testsupport;

import java.time.Duration;

import reactor.blockhound.BlockingOperationError;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Proves BlockHound is installed in the calling test JVM: a deliberate {@code Thread.sleep} on a
 * non-blocking thread must be reported as a {@link BlockingOperationError}.
 */
public final class BlockHoundProbe {

    private BlockHoundProbe() {
    }

    /** Returns the error BlockHound raised for a sleep on {@code Schedulers.parallel()}; null if none. */
    public static Throwable sleepOnParallelThread() {
        return Mono.delay(Duration.ofMillis(1), Schedulers.parallel())
                .doOnNext(tick -> sleepOneMillisecond())
                .then(Mono.<Throwable>empty())
                .onErrorResume(Mono::just)
                .block(Duration.ofSeconds(5));
    }

    private static void sleepOneMillisecond() {
        try {
            Thread.sleep(1);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The error type BlockHound raises, for {@code isInstanceOf} assertions on the probe's result. */
    public static Class<BlockingOperationError> errorType() {
        return BlockingOperationError.class;
    }
}
