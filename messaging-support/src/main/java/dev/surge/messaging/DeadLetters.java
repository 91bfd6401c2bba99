package dev.surge.messaging;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.surge.events.Topics;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.kafka.receiver.KafkaReceiver;
import reactor.kafka.receiver.ReceiverOptions;
import reactor.kafka.receiver.ReceiverRecord;

/**
 * What ops do with dead letters: see how many wait in each dead-letter topic, and re-drive one
 * topic's letters back to the topic they came from, where every consumer group reads them again
 * (the inbox drops them where they had been handled after all).
 *
 * <p>Progress lives in a consumer group of its own ({@code surge.dead-letters.redrive}): a letter
 * counts as waiting until that group has committed past it, and each letter's offset is acknowledged
 * (and committed at once) only after its republication was acknowledged, so a letter is
 * republished once, or twice if the process dies between the two. A re-drive takes the letters that were there when it started; one
 * that fails again meanwhile waits for the next re-drive instead of looping.
 */
class DeadLetters {

    /** Consumer group whose committed offsets mark the letters already re-driven. */
    static final String REDRIVE_GROUP = "surge.dead-letters.redrive";

    private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);

    private final Admin admin;
    private final TopicNamespace namespace;
    private final EventPublisher publisher;
    private final MessagingProperties properties;
    private final AtomicBoolean redriving = new AtomicBoolean();

    DeadLetters(Admin admin, TopicNamespace namespace, EventPublisher publisher, MessagingProperties properties) {
        this.admin = admin;
        this.namespace = namespace;
        this.publisher = publisher;
        this.properties = properties;
    }

    /** How many letters wait in each dead-letter topic, in {@code Topics.all()} order. */
    Mono<List<Waiting>> waiting() {
        return Flux.fromIterable(Topics.all())
                .concatMap(topic -> pending(topic)
                        .map(ranges -> new Waiting(topic, Topics.deadLetter(topic), total(ranges))))
                .collectList()
                .timeout(properties.deadLetters().timeout());
    }

    /**
     * Republishes the letters of one topic's dead-letter topic to that topic, without the
     * dead-letter headers.
     *
     * @param topic the logical event topic ({@code shop.orders.v1}), one of {@code Topics.all()}
     * @return how many letters were republished; {@link RedriveRunning} while another re-drive of
     *         this instance runs
     */
    Mono<Long> redrive(String topic) {
        return Mono.defer(() -> {
            if (!redriving.compareAndSet(false, true)) {
                return Mono.error(new RedriveRunning());
            }
            return pending(topic)
                    .flatMap(ranges -> republish(topic, ranges))
                    .timeout(properties.deadLetters().timeout())
                    .doFinally(signal -> redriving.set(false));
        });
    }

    private Mono<Long> republish(String topic, Map<TopicPartition, Range> ranges) {
        Map<TopicPartition, Range> waiting = ranges.entrySet().stream()
                .filter(entry -> entry.getValue().size() > 0)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        long letters = total(waiting);
        if (letters == 0) {
            return Mono.just(0L);
        }
        log.info("Re-driving {} dead letters of {}", letters, topic);
        ReceiverOptions<String, byte[]> options = ReceiverOptions.<String, byte[]>create(consumerProperties())
                .assignment(waiting.keySet())
                // every acknowledgement is committed at once: an acknowledged letter was republished
                .commitBatchSize(1)
                .commitInterval(Duration.ofMillis(100))
                .addAssignListener(partitions -> partitions.forEach(partition ->
                        partition.seek(waiting.get(partition.topicPartition()).start())));
        return KafkaReceiver.create(options)
                .receive()
                .filter(record -> record.offset() < waiting.get(record.receiverOffset().topicPartition()).end())
                .concatMap(record -> publisher.send(List.of(original(topic, record)))
                        .then(Mono.fromRunnable(record.receiverOffset()::acknowledge))
                        .thenReturn(record))
                .take(letters)
                .count()
                .doOnSuccess(count -> log.info("Re-drove {} dead letters of {}", count, topic));
    }

    private OutgoingMessage original(String topic, ReceiverRecord<String, byte[]> record) {
        Map<String, String> headers = new HashMap<>();
        for (Header header : record.headers()) {
            if (!header.key().equals(KafkaEventReceiver.DLT_REASON_HEADER)
                    && !header.key().equals(KafkaEventReceiver.DLT_ORIGIN_HEADER)) {
                headers.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
            }
        }
        return new OutgoingMessage(topic, Optional.ofNullable(record.key()).orElse(""), headers, record.value());
    }

    /** Per partition of the topic's dead-letter topic: from the group's position to the end. */
    private Mono<Map<TopicPartition, Range>> pending(String topic) {
        String deadLetterTopic = namespace.topic(Topics.deadLetter(topic));
        return Mono.fromCompletionStage(admin.describeTopics(List.of(deadLetterTopic)).allTopicNames().toCompletionStage())
                .map(described -> partitions(described.get(deadLetterTopic)))
                .flatMap(partitions -> Mono.zip(
                        offsets(partitions, OffsetSpec.earliest()),
                        offsets(partitions, OffsetSpec.latest()),
                        committed())
                .map(offsets -> ranges(partitions, offsets.getT1(), offsets.getT2(), offsets.getT3())));
    }

    private static List<TopicPartition> partitions(TopicDescription topic) {
        return topic.partitions().stream()
                .map(partition -> new TopicPartition(topic.name(), partition.partition()))
                .toList();
    }

    private Mono<Map<TopicPartition, Long>> offsets(List<TopicPartition> partitions, OffsetSpec spec) {
        Map<TopicPartition, OffsetSpec> request = partitions.stream()
                .collect(Collectors.toMap(partition -> partition, partition -> spec));
        KafkaFuture<Map<TopicPartition, ListOffsetsResultInfo>> result = admin.listOffsets(request).all();
        return Mono.fromCompletionStage(result.toCompletionStage())
                .map(infos -> infos.entrySet().stream()
                        .collect(Collectors.toMap(Map.Entry::getKey, entry -> entry.getValue().offset())));
    }

    private Mono<Map<TopicPartition, Long>> committed() {
        KafkaFuture<Map<TopicPartition, OffsetAndMetadata>> result = admin
                .listConsumerGroupOffsets(namespace.group(REDRIVE_GROUP))
                .partitionsToOffsetAndMetadata();
        return Mono.fromCompletionStage(result.toCompletionStage())
                .map(offsets -> offsets.entrySet().stream()
                        // a partition without a commit has a null entry
                        .filter(entry -> entry.getValue() != null)
                        .collect(Collectors.toMap(Map.Entry::getKey, entry -> entry.getValue().offset())));
    }

    private static Map<TopicPartition, Range> ranges(List<TopicPartition> partitions, Map<TopicPartition, Long> earliest,
            Map<TopicPartition, Long> latest, Map<TopicPartition, Long> committed) {
        // a commit older than the retention left behind starts at the oldest letter still kept
        return partitions.stream()
                .collect(Collectors.toMap(partition -> partition, partition -> new Range(
                        Math.max(earliest.get(partition), committed.getOrDefault(partition, 0L)),
                        latest.get(partition))));
    }

    private static long total(Map<TopicPartition, Range> ranges) {
        return ranges.values().stream().mapToLong(Range::size).sum();
    }

    private Map<String, Object> consumerProperties() {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, properties.bootstrapServers());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, namespace.group(REDRIVE_GROUP));
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, namespace.group(REDRIVE_GROUP) + "-consumer");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return config;
    }

    /**
     * Offsets of one partition still to re-drive.
     *
     * @param start the first letter not yet re-driven
     * @param end the offset after the last letter present when the re-drive started
     */
    record Range(long start, long end) {

        long size() {
            return Math.max(0, end - start);
        }
    }

    /**
     * Letters waiting in one dead-letter topic.
     *
     * @param topic the event topic they came from
     * @param deadLetterTopic where they wait
     * @param waiting how many are not re-driven yet
     */
    record Waiting(String topic, String deadLetterTopic, long waiting) {
    }

    /** Another re-drive runs in this instance; one at a time keeps each letter republished once. */
    static final class RedriveRunning extends RuntimeException {

        RedriveRunning() {
            super("a dead-letter re-drive is already running");
        }
    }
}
