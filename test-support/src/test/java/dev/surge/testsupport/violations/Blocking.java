package dev.surge.testsupport.violations;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Deliberate violations the architecture rules must report. */
public class Blocking {

    public String waits() {
        return Mono.just("x").block();
    }

    public void sleeps() throws InterruptedException {
        Thread.sleep(1);
    }

    public void subscribes() {
        Flux.just(1).subscribe();
    }
}
