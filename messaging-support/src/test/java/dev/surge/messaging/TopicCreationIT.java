package dev.surge.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.surge.events.EventEnvelope;
import dev.surge.events.Topics;
import dev.surge.events.order.OrderStatusChanged;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

/** Topics exist because a service created them, never because the broker made them on first use. */
class TopicCreationIT {

    private static MessagingFixture fixture;
    private static Admin admin;

    @BeforeAll
    static void start() {
        fixture = new MessagingFixture(TopicCreationIT.class);
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, fixture.properties.bootstrapServers()));
    }

    @AfterAll
    static void stop() {
        admin.close();
        fixture.close();
    }

    @Test
    void everyEventTopicAndItsDeadLetterTopicIsCreatedWithTheConfiguredPartitions() throws Exception {
        TopicNamespace namespace = new TopicNamespace(fixture.isolation.topicNamespace() + "-sized");
        try (TopicAdministration topics = administration(namespace,
                new MessagingProperties.TopicSettings(2, null, Map.of(Topics.ORDERS, 5)))) {
            StepVerifier.create(topics.ready()).expectComplete().verify(Duration.ofSeconds(30));
        }
        Map<String, Integer> partitions = partitionsOf(namespace, TopicAdministration.logicalTopics());
        assertThat(partitions).hasSize(Topics.all().size() * 2);
        assertThat(partitions).containsEntry(Topics.ORDERS, 5)
                .containsEntry(Topics.deadLetter(Topics.ORDERS), 5)
                .containsEntry(Topics.CATALOG, 2)
                .containsEntry(Topics.deadLetter(Topics.PAYMENTS), 2);
        // vital signs are kept an hour; every other topic keeps the broker's retention
        assertThat(retentionOf(namespace.topic(Topics.OPS))).isEqualTo(Long.toString(Duration.ofHours(1).toMillis()));
        assertThat(retentionOf(namespace.topic(Topics.ORDERS))).isNotEqualTo(Long.toString(Duration.ofHours(1).toMillis()));
    }

    private static String retentionOf(String topic) throws InterruptedException, ExecutionException, TimeoutException {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        return admin.describeConfigs(List.of(resource)).all().get(10, TimeUnit.SECONDS).get(resource)
                .get(TopicConfig.RETENTION_MS_CONFIG).value();
    }

    @Test
    void instancesStartingTogetherOrLaterAllFindTheirTopicsReady() throws Exception {
        TopicNamespace namespace = new TopicNamespace(fixture.isolation.topicNamespace() + "-race");
        MessagingProperties.TopicSettings settings = new MessagingProperties.TopicSettings(3, null, Map.of());
        try (TopicAdministration first = administration(namespace, settings);
                TopicAdministration second = administration(namespace, settings);
                TopicAdministration third = administration(namespace, settings)) {
            // two instances create the same topics at the same moment: one wins each, neither fails
            StepVerifier.create(Mono.when(first.ready(), second.ready())).expectComplete().verify(Duration.ofSeconds(30));
            // a later start finds them all there already
            StepVerifier.create(third.ready()).expectComplete().verify(Duration.ofSeconds(30));
        }
        assertThat(partitionsOf(namespace, TopicAdministration.logicalTopics())).hasSize(Topics.all().size() * 2);
    }

    @Test
    void theBrokerDoesNotCreateATopicOnFirstUse() throws Exception {
        String missing = fixture.namespace.topic("shop.nobody-created-this.v1");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, fixture.properties.bootstrapServers(),
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 2000,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>(missing, "key", new byte[] { 1 })).get(10, TimeUnit.SECONDS))
                    .hasMessageContaining("not present in metadata");
        }
        assertThat(admin.listTopics().names().get(10, TimeUnit.SECONDS)).doesNotContain(missing);
    }

    @Test
    void aReceiverAndAPublisherStartedBeforeTheTopicsExistWaitForThem() throws Exception {
        TopicNamespace namespace = new TopicNamespace(fixture.isolation.topicNamespace() + "-late");
        MessagingProperties settings = fixture.withNamespace(fixture.isolation.topicNamespace() + "-late");
        Sinks.Empty<Void> creationStarted = Sinks.empty();
        try (TopicAdministration topics = new TopicAdministration(settings, "late-test", namespace);
                KafkaEventPublisher publisher = new KafkaEventPublisher(settings, "late-test", fixture.codec, namespace,
                        creationStarted.asMono().then(topics.ready()))) {
            KafkaEventReceiver receiver = new KafkaEventReceiver(settings, "late-test", fixture.codec, namespace, publisher,
                    creationStarted.asMono().then(topics.ready()), fixture.meters);
            List<EventEnvelope<?>> handled = new CopyOnWriteArrayList<>();
            Disposable consumer = receiver.run(MessagingFixture.consumer("late", Topics.ORDERS,
                    event -> Mono.fromRunnable(() -> handled.add(event)))).subscribe();
            try {
                EventEnvelope<OrderStatusChanged> event = EventRoundTripIT.statusChange(UUID.randomUUID(), 1);
                CompletableFuture<Void> published = publisher.publish(event).toFuture();
                assertThat(published).isNotDone();
                assertThat(admin.listTopics().names().get(10, TimeUnit.SECONDS)).doesNotContain(namespace.topic(Topics.ORDERS));

                creationStarted.tryEmitEmpty();
                published.get(30, TimeUnit.SECONDS);
                await().atMost(Duration.ofSeconds(30)).until(() -> handled.contains(event));
            }
            finally {
                consumer.dispose();
            }
        }
    }

    private static TopicAdministration administration(TopicNamespace namespace, MessagingProperties.TopicSettings topics) {
        return new TopicAdministration(fixture.withTopics(topics), "topic-test", namespace);
    }

    private static Map<String, Integer> partitionsOf(TopicNamespace namespace, List<String> logicalTopics)
            throws InterruptedException, ExecutionException, TimeoutException {
        Set<String> names = logicalTopics.stream().map(namespace::topic).collect(Collectors.toSet());
        Map<String, TopicDescription> described = admin.describeTopics(names).allTopicNames().get(10, TimeUnit.SECONDS);
        String prefix = namespace.topic("");
        return described.values().stream()
                .collect(Collectors.toMap(topic -> topic.name().substring(prefix.length()), topic -> topic.partitions().size()));
    }
}
