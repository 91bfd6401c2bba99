package dev.surge.order.copies;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.surge.messaging.StreamLifecycle;
import reactor.core.publisher.Flux;

/** Tries the evictions Redis missed again on a clock of their own, one round at a time. */
@Configuration(proxyBeanMethods = false)
class MissedEvictions {

    @Bean
    SmartInitializingSingleton retryMissedEvictions(StreamLifecycle streams, RedisCopies copies, CopiesProperties properties) {
        return () -> streams.register("missed copy evictions", () -> Flux.interval(properties.evictionRetryInterval())
                .onBackpressureDrop()
                .concatMap(tick -> copies.retryMissed(), 1));
    }
}
