package dev.surge.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import reactor.blockhound.BlockingOperationError;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

class BlockHoundProbeTests {

    @Test
    void catchesDeliberateSleepOnNonBlockingThread() {
        assertThat(BlockHoundProbe.sleepOnParallelThread())
                .isInstanceOf(BlockingOperationError.class)
                .hasMessageContaining("Thread.sleep");
    }

    @Test
    void letsTheSameSleepRunOnBoundedElastic() {
        Throwable error = Mono.fromCallable(() -> {
                    Thread.sleep(1);
                    return 1;
                })
                .subscribeOn(Schedulers.boundedElastic())
                .then(Mono.<Throwable>empty())
                .onErrorResume(Mono::just)
                .block(Duration.ofSeconds(5));
        assertThat(error).isNull();
    }
}
