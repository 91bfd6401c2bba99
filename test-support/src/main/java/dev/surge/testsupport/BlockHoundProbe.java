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

    /**
     * A sleep on {@code Schedulers.parallel()}: it fails with {@link BlockingOperationError} when
     * BlockHound is installed and completes empty when it is not.
     */
    public static Mono<Void> sleepOnParallelThread() {
        return Mono.delay(Duration.ofMillis(1), Schedulers.parallel())
                .doOnNext(tick -> sleepOneMillisecond())
                .then();
    }

    // the deliberate blocking call this probe exists for: BlockHound must report it
    private static void sleepOneMillisecond() {
        try {
            Thread.sleep(1);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

}
