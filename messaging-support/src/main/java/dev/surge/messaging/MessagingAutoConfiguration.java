package dev.surge.messaging;

import java.time.Duration;
import java.util.Map;

import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;
import org.springframework.util.ClassUtils;

import dev.surge.events.EventCodec;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;

/**
 * Wires messaging into a service that has this module on its class path: publisher, receivers for
 * every {@link EventConsumer} bean, the Kafka readiness check and, where the service has a
 * database, the outbox, its relay and the inbox.
 */
@AutoConfiguration(afterName = {
        "org.springframework.boot.r2dbc.autoconfigure.R2dbcAutoConfiguration",
        "org.springframework.boot.r2dbc.autoconfigure.R2dbcTransactionManagerAutoConfiguration",
        "org.springframework.boot.data.r2dbc.autoconfigure.DataR2dbcAutoConfiguration" })
@EnableConfigurationProperties({ MessagingProperties.class, VitalSignsProperties.class })
public class MessagingAutoConfiguration {

    private static String applicationName(Environment environment) {
        return environment.getProperty("spring.application.name", "surge");
    }

    @Bean
    EventCodec eventCodec() {
        return new EventCodec();
    }

    @Bean
    TopicNamespace topicNamespace(MessagingProperties properties) {
        return new TopicNamespace(properties.namespace());
    }

    @Bean(destroyMethod = "close")
    TopicAdministration topicAdministration(MessagingProperties properties, Environment environment,
            TopicNamespace namespace) {
        return new TopicAdministration(properties, applicationName(environment), namespace);
    }

    @Bean(destroyMethod = "close")
    KafkaEventPublisher eventPublisher(MessagingProperties properties, Environment environment, EventCodec codec,
            TopicNamespace namespace, TopicAdministration topics) {
        return new KafkaEventPublisher(properties, applicationName(environment), codec, namespace, topics.ready());
    }

    @Bean
    KafkaEventReceiver eventReceiver(MessagingProperties properties, Environment environment, EventCodec codec,
            TopicNamespace namespace, EventPublisher publisher, TopicAdministration topics,
            ObjectProvider<MeterRegistry> meters) {
        // a service without actuator has no registry bean; the global one keeps the counters anyway
        return new KafkaEventReceiver(properties, applicationName(environment), codec, namespace, publisher,
                topics.ready(), meters.getIfAvailable(() -> Metrics.globalRegistry));
    }

    @Bean
    DeadLetters deadLetters(TopicAdministration topics, TopicNamespace namespace, EventPublisher publisher,
            MessagingProperties properties) {
        return new DeadLetters(topics.admin(), namespace, publisher, properties);
    }

    /** Apart, so a service without actuator never loads the endpoint's class. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.annotation.Endpoint")
    static class DeadLettersEndpointConfiguration {

        @Bean
        DeadLettersEndpoint deadLettersEndpoint(DeadLetters deadLetters) {
            boolean springSecurity = ClassUtils.isPresent(
                    "org.springframework.security.core.context.ReactiveSecurityContextHolder", getClass().getClassLoader());
            return new DeadLettersEndpoint(deadLetters, springSecurity);
        }
    }

    @Bean
    VitalSignsCounters vitalSignsCounters() {
        return new VitalSignsCounters();
    }

    @Bean
    VitalSignsPublisher vitalSignsPublisher(VitalSignsProperties settings, Environment environment,
            EventPublisher publisher, TopicAdministration topics, TopicNamespace namespace,
            ObjectProvider<EventConsumer> consumers, KafkaEventReceiver receiver, VitalSignsCounters counters,
            ObjectProvider<VitalSignsSource> sources, ObjectProvider<OutboxRelay> relay) {
        return new VitalSignsPublisher(applicationName(environment), settings.interval(), publisher, topics.admin(),
                namespace, consumers.orderedStream().map(receiver::group).toList(), counters,
                sources.orderedStream().toList(), relay.getIfAvailable());
    }

    @Bean
    StreamLifecycle streamLifecycle(ObjectProvider<EventConsumer> consumers, KafkaEventReceiver receiver,
            ObjectProvider<OutboxRelay> relay, TopicAdministration topics, ObjectProvider<Inbox> inbox,
            MessagingProperties properties, VitalSignsProperties vitalSigns, VitalSignsPublisher vitalSignsPublisher) {
        StreamLifecycle lifecycle = new StreamLifecycle(Duration.ofSeconds(1), Duration.ofSeconds(30));
        // topics are created at start even by a service that neither consumes nor publishes yet
        lifecycle.register("topic creation", () -> topics.ready().flux());
        consumers.orderedStream().forEach(consumer ->
                lifecycle.register("consumer " + consumer.name(), () -> receiver.run(consumer)));
        relay.ifAvailable(outboxRelay -> lifecycle.register("outbox relay", outboxRelay::run));
        inbox.ifAvailable(handled -> lifecycle.register("inbox cleanup", () -> handled.cleanup(properties.inbox())));
        if (vitalSigns.enabled()) {
            lifecycle.register("vital signs", vitalSignsPublisher::run);
        }
        return lifecycle;
    }

    @Bean(destroyMethod = "close")
    AdminClient kafkaAdminClient(MessagingProperties properties, Environment environment) {
        return AdminClient.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, properties.bootstrapServers(),
                AdminClientConfig.CLIENT_ID_CONFIG, applicationName(environment) + "-health",
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) properties.healthTimeout().toMillis(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) properties.healthTimeout().toMillis()));
    }

    @Bean
    KafkaHealthIndicator kafkaHealthIndicator(AdminClient kafkaAdminClient, MessagingProperties properties) {
        return new KafkaHealthIndicator(kafkaAdminClient, properties.healthTimeout());
    }

    /** Only in a service with a database: the gateway has none, nor R2DBC on its class path. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.r2dbc.core.DatabaseClient")
    @ConditionalOnBean({ DatabaseClient.class, ReactiveTransactionManager.class })
    static class StorageConfiguration {

        @Bean
        OutboxSignal outboxSignal() {
            return new OutboxSignal();
        }

        @Bean
        Outbox outbox(DatabaseClient database, EventCodec codec, OutboxSignal outboxSignal) {
            return new Outbox(database, codec, outboxSignal);
        }

        @Bean
        Inbox inbox(DatabaseClient database, ReactiveTransactionManager transactionManager) {
            return new Inbox(database, TransactionalOperator.create(transactionManager));
        }

        @Bean
        OutboxOperations outboxOperations(DatabaseClient database) {
            return new OutboxOperations(database);
        }

        @Bean
        @ConditionalOnProperty(name = "surge.messaging.relay.enabled", matchIfMissing = true)
        OutboxRelay outboxRelay(DatabaseClient database, ReactiveTransactionManager transactionManager,
                EventPublisher publisher, MessagingProperties properties, OutboxOperations operations,
                ObjectProvider<MeterRegistry> meters, OutboxSignal outboxSignal) {
            OutboxMetrics metrics = new OutboxMetrics(operations, meters.getIfAvailable(() -> Metrics.globalRegistry));
            return new OutboxRelay(database, TransactionalOperator.create(transactionManager), publisher,
                    properties.relay(), metrics, outboxSignal);
        }

        /** Apart, so a service without actuator never loads the endpoint's class. */
        @Configuration(proxyBeanMethods = false)
        @ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.annotation.Endpoint")
        static class OutboxEndpointConfiguration {

            @Bean
            OutboxEndpoint outboxEndpoint(OutboxOperations operations) {
                boolean springSecurity = ClassUtils.isPresent(
                        "org.springframework.security.core.context.ReactiveSecurityContextHolder", getClass().getClassLoader());
                return new OutboxEndpoint(operations, springSecurity);
            }
        }
    }
}
