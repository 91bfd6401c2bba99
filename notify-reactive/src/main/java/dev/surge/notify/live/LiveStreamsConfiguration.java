package dev.surge.notify.live;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.surge.messaging.StreamLifecycle;
import io.r2dbc.spi.ConnectionFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The background streams of the live feed, run by {@code StreamLifecycle}: the change listener (every
 * instance: it is how each one hears of every change), the feed's clean-up (every instance too;
 * {@code SKIP LOCKED} keeps them apart), and the renewal and removal of this instance's stream leases in
 * Redis ({@link StreamLimits}).
 */
@Configuration(proxyBeanMethods = false)
class LiveStreamsConfiguration {

    private static final Logger log = LoggerFactory.getLogger(LiveStreamsConfiguration.class);

    private static final int CLEANUP_CHUNK = 5_000;

    @Bean
    PostgresChangeListener postgresChangeListener(ConnectionFactory connections, List<ChannelHandler> handlers,
            LiveStreamProperties settings) {
        return new PostgresChangeListener(connections, handlers, settings.listenerPing());
    }

    @Bean
    SmartInitializingSingleton liveStreams(StreamLifecycle streams, PostgresChangeListener listener,
            R2dbcShopperFeed feed, StreamLimits limits, LiveStreamProperties settings, StreamTicker ticker) {
        return () -> {
            streams.register("change listener", listener::listen);
            streams.register("stream ticker", ticker::run);
            streams.register("stream lease renewals", limits::renewals);
            streams.register("stream lease releases", limits::releases);
            streams.register("live feed clean-up", () -> Flux.interval(settings.cleanupInterval())
                    .onBackpressureDrop()
                    .concatMap(tick -> feed.deleteOlderThan(settings.retention(), CLEANUP_CHUNK)
                            .onErrorResume(failure -> {
                                log.warn("Live feed clean-up failed; the next round tries again: {}", failure.toString());
                                return Mono.just(0L);
                            }), 1));
        };
    }
}
