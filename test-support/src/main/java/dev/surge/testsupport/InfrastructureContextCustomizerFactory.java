package dev.surge.testsupport;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;

/**
 * Points an {@link IntegrationTest} class's application context at the shared real servers and at
 * the class's own {@link TestIsolation}. Registered in {@code META-INF/spring.factories}.
 */
class InfrastructureContextCustomizerFactory implements ContextCustomizerFactory {

    @Override
    public ContextCustomizer createContextCustomizer(Class<?> testClass,
            List<ContextConfigurationAttributes> configAttributes) {
        return MergedAnnotations.from(testClass, MergedAnnotations.SearchStrategy.TYPE_HIERARCHY)
                .get(IntegrationTest.class)
                .synthesize(annotation -> annotation.isPresent())
                .map(annotation -> new InfrastructureCustomizer(testClass, annotation))
                .orElse(null);
    }

    private static final class InfrastructureCustomizer implements ContextCustomizer {

        private final Class<?> testClass;
        private final IntegrationTest settings;

        InfrastructureCustomizer(Class<?> testClass, IntegrationTest settings) {
            this.testClass = testClass;
            this.settings = settings;
        }

        @Override
        public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration config) {
            TestIsolation isolation = TestIsolation.forClass(testClass);
            PostgresServer postgres = Infrastructure.postgres();
            RedisServer redis = Infrastructure.redis();
            Map<String, Object> properties = new HashMap<>();
            List<AutoCloseable> closeAtEnd = new ArrayList<>();
            if (settings.database()) {
                properties.put("spring.r2dbc.url", isolation.r2dbcUrl());
                properties.put("spring.r2dbc.username", postgres.user());
                properties.put("spring.r2dbc.password", postgres.password());
                properties.put("spring.flyway.url", isolation.jdbcUrl());
                properties.put("spring.flyway.user", postgres.user());
                properties.put("spring.flyway.password", postgres.password());
                // what the service writes to its outbox is kept in outbox_written for the test to read
                String locations = context.getEnvironment().getProperty("spring.flyway.locations", "classpath:db/migration");
                properties.put("spring.flyway.locations", locations + ",classpath:db/test-support");
            }
            if (settings.redisThroughProxy()) {
                TcpProxy proxy = TcpProxy.between(redis.host(), redis.port());
                context.getBeanFactory().registerSingleton("surgeRedisProxy", proxy);
                closeAtEnd.add(proxy);
                properties.put("spring.data.redis.host", "127.0.0.1");
                properties.put("spring.data.redis.port", proxy.port());
            }
            else {
                properties.put("spring.data.redis.host", redis.host());
                properties.put("spring.data.redis.port", redis.port());
            }
            properties.put("surge.redis.key-prefix", isolation.redisKeyPrefix());
            if (settings.identityProvider()) {
                IdentityProvider identity = Infrastructure.identityProvider();
                properties.put("spring.security.oauth2.resourceserver.jwt.issuer-uri", identity.issuerUri());
                properties.put("spring.security.oauth2.resourceserver.jwt.jwk-set-uri", identity.jwksUri());
            }
            properties.put("surge.messaging.namespace", isolation.topicNamespace());
            properties.put("surge.messaging.bootstrap-servers",
                    settings.kafka() ? Infrastructure.kafka().bootstrapServers() : "127.0.0.1:1");
            context.getEnvironment().getPropertySources()
                    .addFirst(new MapPropertySource("surge-test-infrastructure", properties));
            context.getBeanFactory().registerSingleton("surgeTestIsolation", isolation);
            context.addApplicationListener(event -> {
                if (event instanceof ContextClosedEvent closed && closed.getApplicationContext() == context) {
                    closeAtEnd.forEach(InfrastructureCustomizer::closeQuietly);
                    isolation.close();
                }
            });
        }

        private static void closeQuietly(AutoCloseable closeable) {
            try {
                closeable.close();
            }
            catch (Exception e) {
                throw new IllegalStateException("could not close " + closeable, e);
            }
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof InfrastructureCustomizer that && testClass.equals(that.testClass);
        }

        @Override
        public int hashCode() {
            return Objects.hash(testClass);
        }
    }
}
