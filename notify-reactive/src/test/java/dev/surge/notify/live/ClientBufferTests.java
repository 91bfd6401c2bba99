package dev.surge.notify.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import reactor.test.StepVerifier;

class ClientBufferTests {

    @Test
    void closesTheConnectionOnceWhenTheClientFallsBehindByMoreThanItsBuffer() {
        AtomicInteger disconnects = new AtomicInteger();
        AtomicInteger overflows = new AtomicInteger();
        ClientBuffer<Integer> buffer = new ClientBuffer<>(8, disconnects::incrementAndGet, overflows::incrementAndGet);
        for (int i = 1; i <= 10; i++) {
            buffer.offer(i);
        }
        assertThat(buffer.overflowed()).isTrue();
        assertThat(disconnects).hasValue(1);
        assertThat(overflows).hasValue(1);
        // what waited is still there for a client that reads at last, then the end: nothing after the overflow
        StepVerifier.create(buffer.items())
                .expectNext(1, 2, 3, 4, 5, 6, 7, 8)
                .verifyComplete();
    }

    @Test
    void closesTheConnectionWhenASubscribedClientStopsReading() {
        AtomicInteger disconnects = new AtomicInteger();
        ClientBuffer<Integer> buffer = new ClientBuffer<>(8, disconnects::incrementAndGet, () -> { });
        StepVerifier.create(buffer.items(), 2)
                .then(() -> {
                    for (int i = 1; i <= 11; i++) {
                        buffer.offer(i);
                    }
                })
                .expectNext(1, 2)
                .then(() -> assertThat(disconnects).hasValue(1))
                .thenRequest(Long.MAX_VALUE)
                .expectNext(3, 4, 5, 6, 7, 8, 9, 10)
                .verifyComplete();
    }

    @Test
    void aClientThatKeepsUpIsNeverDisconnected() {
        AtomicInteger disconnects = new AtomicInteger();
        ClientBuffer<Integer> buffer = new ClientBuffer<>(2, disconnects::incrementAndGet, () -> { });
        StepVerifier.create(buffer.items().take(100))
                .then(() -> {
                    for (int i = 0; i < 100; i++) {
                        buffer.offer(i);
                    }
                })
                .expectNextCount(100)
                .verifyComplete();
        assertThat(disconnects).hasValue(0);
        assertThat(buffer.overflowed()).isFalse();
    }
}
