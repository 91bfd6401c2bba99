package dev.surge.system;

import java.util.HashMap;
import java.util.Map;

import dev.surge.testsupport.IdentityProvider;
import dev.surge.testsupport.Infrastructure;
import dev.surge.testsupport.PostgresServer;
import dev.surge.testsupport.RedisServer;
import dev.surge.testsupport.TestIsolation;

/** The settings every service of one shop under test shares, and those of a service's own database. */
final class ServiceSettings {

    private ServiceSettings() {
    }

    /**
     * Redis under the shop's key prefix, the test provider's tokens, the test broker and one topic
     * namespace, so that every service of the shop reads what the others publish.
     */
    static Map<String, Object> shop(TestIsolation shop) {
        IdentityProvider provider = Infrastructure.identityProvider();
        RedisServer redis = Infrastructure.redis();
        Map<String, Object> settings = new HashMap<>();
        settings.put("spring.data.redis.host", redis.host());
        settings.put("spring.data.redis.port", redis.port());
        settings.put("surge.redis.key-prefix", shop.redisKeyPrefix());
        settings.put("spring.security.oauth2.resourceserver.jwt.issuer-uri", provider.issuerUri());
        settings.put("spring.security.oauth2.resourceserver.jwt.jwk-set-uri", provider.jwksUri());
        settings.put("surge.messaging.bootstrap-servers", Infrastructure.kafka().bootstrapServers());
        settings.put("surge.messaging.namespace", shop.topicNamespace());
        return settings;
    }

    /** {@code shared} plus the R2DBC and Flyway settings of the service's own database, {@code own}'s. */
    static Map<String, Object> withDatabase(Map<String, Object> shared, TestIsolation own) {
        PostgresServer postgres = Infrastructure.postgres();
        Map<String, Object> settings = new HashMap<>(shared);
        settings.put("spring.r2dbc.url", own.r2dbcUrl());
        settings.put("spring.r2dbc.username", postgres.user());
        settings.put("spring.r2dbc.password", postgres.password());
        settings.put("spring.flyway.url", own.jdbcUrl());
        settings.put("spring.flyway.user", postgres.user());
        settings.put("spring.flyway.password", postgres.password());
        return settings;
    }
}
