package dev.surge.messaging;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.surge.events.Topics;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * Creates every event topic and its dead-letter topic at start, with the configured partitions,
 * instead of leaving it to the broker's auto-creation (off in our brokers). Receivers and the
 * publisher wait for {@link #ready()}, so a service started before its topics exist simply waits.
 *
 * <p>Several instances start at once: a topic that already exists, or that another instance
 * creates at the same moment, counts as created.
 */
class TopicAdministration implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TopicAdministration.class);

    private final Admin admin;
    private final TopicNamespace namespace;
    private final MessagingProperties.TopicSettings settings;
    private final Mono<Void> ready;

    TopicAdministration(MessagingProperties properties, String clientId, TopicNamespace namespace) {
        this.namespace = namespace;
        this.settings = properties.topics();
        int timeoutMs = (int) properties.sendTimeout().toMillis();
        this.admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, properties.bootstrapServers(),
                AdminClientConfig.CLIENT_ID_CONFIG, clientId + "-topics",
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.max(1000, timeoutMs / 2),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs));
        // Created once per process: later subscribers get the cached completion. A broker that is
        // down at start is retried for as long as it takes; the receivers wait meanwhile.
        this.ready = Mono.defer(this::createAll)
                .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(200))
                        .maxBackoff(Duration.ofSeconds(10))
                        .doBeforeRetry(signal -> log.warn("Creating topics failed ({}); retrying", signal.failure().toString())))
                .cache();
    }

    /** Completes once every event topic and dead-letter topic exists; shared by all callers. */
    Mono<Void> ready() {
        return ready;
    }

    /** The admin client these topics were created with, for other administrative reads. */
    Admin admin() {
        return admin;
    }

    /** The logical names created: each event topic followed by its dead-letter topic. */
    static List<String> logicalTopics() {
        List<String> topics = new ArrayList<>();
        for (String topic : Topics.all()) {
            topics.add(topic);
            topics.add(Topics.deadLetter(topic));
        }
        return topics;
    }

    /** Topic settings beside the broker's defaults: vital signs are kept an hour (they are worth something fresh). */
    static Map<String, String> configsOf(String logicalTopic) {
        return Topics.OPS.equals(logicalTopic)
                ? Map.of(TopicConfig.RETENTION_MS_CONFIG, Long.toString(Duration.ofHours(1).toMillis()))
                : Map.of();
    }

    private Mono<Void> createAll() {
        List<NewTopic> wanted = logicalTopics().stream()
                .map(topic -> new NewTopic(namespace.topic(topic), Optional.of(settings.partitionsOf(topic)),
                        Optional.ofNullable(settings.replicationFactor())).configs(configsOf(topic)))
                .toList();
        Map<String, KafkaFuture<Void>> results = admin.createTopics(wanted).values();
        return Flux.fromIterable(results.entrySet())
                .flatMap(result -> created(result.getKey(), result.getValue()))
                .then(Mono.defer(() -> visible(results.keySet())))
                .doOnSuccess(done -> log.info("{} topics ready", wanted.size()));
    }

    /**
     * Waits until the brokers serve every topic: the controller confirms a creation before every
     * broker has learnt of it, and a topic another instance is still creating already "exists".
     */
    private Mono<Void> visible(Set<String> topics) {
        return Mono.defer(() -> Mono.fromCompletionStage(admin.describeTopics(topics).allTopicNames().toCompletionStage()))
                .retryWhen(Retry.backoff(50, Duration.ofMillis(20))
                        .maxBackoff(Duration.ofMillis(500))
                        .filter(UnknownTopicOrPartitionException.class::isInstance))
                .then();
    }

    private static Mono<Void> created(String topic, KafkaFuture<Void> future) {
        return Mono.fromCompletionStage(future.toCompletionStage())
                .doOnSuccess(done -> log.info("Created topic {}", topic))
                // another instance, an earlier start or ops made it already: that is what we want
                .onErrorResume(TopicExistsException.class, exists -> Mono.empty());
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(2));
    }
}
