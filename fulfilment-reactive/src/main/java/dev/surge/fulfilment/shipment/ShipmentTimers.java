package dev.surge.fulfilment.shipment;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.surge.messaging.StreamLifecycle;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The shipment clock of this instance: every {@code poll-interval} it takes the due steps, again at
 * once while a whole batch was due. Every instance runs one; {@code SKIP LOCKED} shares the rows out.
 */
@Configuration(proxyBeanMethods = false)
class ShipmentTimers {

    private static final Logger log = LoggerFactory.getLogger(ShipmentTimers.class);

    @Bean
    SmartInitializingSingleton runShipmentTimers(StreamLifecycle streams, Shipments shipments, ShipmentProperties settings) {
        return () -> streams.register("shipment timers", () -> Flux.interval(settings.pollInterval())
                .onBackpressureDrop()
                .concatMap(tick -> drain(shipments, settings.pollBatch()), 1));
    }

    /** Takes due steps until fewer than a batch were due; a failed round is logged and the next tick tries again. */
    static Mono<Integer> drain(Shipments shipments, int batch) {
        return shipments.takeDueSteps()
                .expand(taken -> taken == batch ? shipments.takeDueSteps() : Mono.empty())
                .reduce(0, Integer::sum)
                .onErrorResume(failure -> {
                    log.warn("Shipment timers failed; the next round tries again: {}", failure.toString());
                    return Mono.just(0);
                });
    }
}
