package dev.surge.catalog.administration;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.surge.messaging.StreamLifecycle;

/** Announces unannounced products once at start, under the service's stream lifecycle (retried while PostgreSQL is away). */
@Configuration(proxyBeanMethods = false)
class AnnouncementConfiguration {

    @Bean
    SmartInitializingSingleton announceProductsOnStart(AnnouncementProperties properties, StreamLifecycle streams,
            ProductAnnouncements announcements) {
        return () -> {
            if (properties.onStart()) {
                streams.register("product announcements", () -> announcements.announcePending().flux());
            }
        };
    }
}
