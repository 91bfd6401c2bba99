package dev.surge.messaging;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.surge.events.EventCodec;
import dev.surge.events.EventEnvelope;
import dev.surge.events.UnknownEventType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.kafka.receiver.KafkaReceiver;
import reactor.kafka.receiver.ReceiverOptions;
import reactor.kafka.receiver.ReceiverPartition;
import reactor.kafka.receiver.ReceiverRecord;
import reactor.util.retry.Retry;

/**
 * Runs an {@link EventConsumer}: one consumer group, records handled one at a time per partition,
 * offsets acknowledged only after the effect, failures retried with backoff and then parked in
 * {@code <topic>.dlt} so one poison record never holds its partition forever. A consumer that takes
 * batches ({@link EventConsumer#batches()}) gets the records its partition had waiting while it was
 * busy, up to {@code batch-size}, in one call; a batch that fails goes through the one-at-a-time path.
 *
 * <p>Partitions are isolated: every partition has its own queue, and the stream asks the broker
 * for records without limit, so no partition's backlog can use up a demand the others share.
 * What bounds memory instead is a pause of that one partition at the broker once it holds
 * {@code partition-buffer} records, lifted when it has worked through half of them.
 *
 * <p>Event types or versions this service does not know are skipped (logged once per type and
 * version, counted): a producer that starts writing a new version must not park its events in
 * every older consumer. A record that names a known type but does not decode is poison and goes
 * to the dead-letter topic.
 */
class KafkaEventReceiver {

    /** Header on a dead letter: why it was given up, as {@code ExceptionType: message}. */
    public static final String DLT_REASON_HEADER = "surge-dlt-reason";
    /** Header on a dead letter: where it came from, as {@code topic/partition/offset}. */
    public static final String DLT_ORIGIN_HEADER = "surge-dlt-origin";

    private static final Logger log = LoggerFactory.getLogger(KafkaEventReceiver.class);

    /** The longest a record waits for others of its partition to join its batch while the consumer is ready. */
    private static final Duration BATCH_WAIT = Duration.ofMillis(1);

    /** Past this many distinct unknown types, further ones are logged at debug only. */
    private static final int MAX_REMEMBERED_UNKNOWN_TYPES = 1000;

    private final MessagingProperties properties;
    private final String applicationName;
    private final EventCodec codec;
    private final TopicNamespace namespace;
    private final EventPublisher deadLetters;
    private final Mono<Void> topicsReady;
    private final MeterRegistry meters;
    private final Set<String> unknownTypesSeen = ConcurrentHashMap.newKeySet();

    public KafkaEventReceiver(MessagingProperties properties, String applicationName, EventCodec codec,
            TopicNamespace namespace, EventPublisher deadLetters, Mono<Void> topicsReady, MeterRegistry meters) {
        this.properties = properties;
        this.applicationName = applicationName;
        this.codec = codec;
        this.namespace = namespace;
        this.deadLetters = deadLetters;
        this.topicsReady = topicsReady;
        this.meters = meters;
    }

    /**
     * The endless stream that runs the consumer; subscribe once (see {@link StreamLifecycle}).
     * It first waits until its topics exist, so it may start before they are created.
     */
    public Flux<Void> run(EventConsumer consumer) {
        return topicsReady.thenMany(Flux.defer(() -> receive(consumer)));
    }

    /** The consumer's logical group, {@code <app>.<consumer>} (the namespace goes before it on the broker). */
    String group(EventConsumer consumer) {
        return applicationName + "." + consumer.name();
    }

    private Flux<Void> receive(EventConsumer consumer) {
        MessagingProperties.Receiver settings = properties.receiver();
        String group = namespace.group(group(consumer));
        PartitionGate gate = new PartitionGate(settings.partitionBuffer());
        ReceiverOptions<String, byte[]> options = ReceiverOptions.<String, byte[]>create(consumerProperties(group))
                .subscription(consumer.topics().stream().map(namespace::topic).toList())
                .commitInterval(settings.commitInterval())
                .commitBatchSize(100)
                // a revoked partition's record in retries gets this long to finish before it moves
                .maxDelayRebalance(settings.maxDelayRebalance())
                .addAssignListener(partitions -> gate.assigned(partitions.stream()
                        .map(ReceiverPartition::topicPartition)
                        .toList()));
        KafkaReceiver<String, byte[]> receiver = KafkaReceiver.create(options);
        Flux<Void> records = receiver.receive()
                .doOnNext(gate::admit)
                // unbounded on purpose: one group's backlog must never use up a demand the others share;
                // PartitionGate bounds each partition's queue by pausing it at the broker
                .groupBy(record -> record.receiverOffset().topicPartition(), Integer.MAX_VALUE)
                .flatMap(partition -> consumer.batches() && settings.batchSize() > 1
                        // fair: a buffer waits for the handler's demand, so it holds what came meanwhile
                        ? partition.bufferTimeout(settings.batchSize(), BATCH_WAIT, true)
                                .concatMap(batch -> processBatch(consumer, batch)
                                        .doFinally(signal -> batch.forEach(gate::release)))
                        : partition.concatMap(record -> process(consumer, record)
                                .doFinally(signal -> gate.release(record))), Integer.MAX_VALUE);
        // Pauses and resumes run on the consumer's thread, which a rebalance keeps busy while it waits
        // for acknowledgements: applied from a stream of their own, so no record ever waits for one.
        Flux<Void> pausesAndResumes = gate.changes()
                .concatMap(change -> receiver.doOnConsumer(kafka -> change.applyTo(kafka)))
                .then()
                .flux();
        return Flux.merge(records, pausesAndResumes);
    }

    private Map<String, Object> consumerProperties(String group) {
        MessagingProperties.Receiver settings = properties.receiver();
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, properties.bootstrapServers());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, group + "-consumer");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // one poll brings at most one buffer's worth of a partition, so a paused partition holds at most two
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, settings.partitionBuffer());
        config.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, (int) settings.maxPollInterval().toMillis());
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return config;
    }

    /**
     * Records one partition had waiting, for a consumer that takes batches: decoded (unknown types
     * left out, as one at a time) and handed over together, once, then acknowledged in order. Any
     * failure, a record that does not decode included, sends the same records through the one-at-a-time
     * path instead, with its retries and dead letters; what the batch had done again is dropped by the
     * consumer's inbox.
     */
    private Mono<Void> processBatch(EventConsumer consumer, List<ReceiverRecord<String, byte[]>> batch) {
        if (batch.size() == 1) {
            return process(consumer, batch.getFirst());
        }
        // unknown types are counted once the batch is done: a failed batch counts them on the one-at-a-time path
        Map<ReceiverRecord<String, byte[]>, UnknownEventType> unknown = new LinkedHashMap<>();
        Mono<Void> together = decodeKnown(batch, unknown)
                .flatMap(events -> Mono.defer(() -> consumer.handleBatch(events))
                        .timeout(properties.receiver().handlerTimeout()))
                .then(Flux.defer(() -> Flux.fromIterable(unknown.entrySet()))
                        .concatMap(skipped -> ignore(consumer, skipped.getKey(), skipped.getValue()))
                        .then())
                .then(Mono.fromRunnable(() -> batch.forEach(record -> record.receiverOffset().acknowledge())));
        return together.onErrorResume(failure -> {
            log.info("{} failed on a batch of {} records from {} ({}); handling them one at a time", consumer.name(),
                    batch.size(), batch.getFirst().receiverOffset().topicPartition(), failure.toString());
            return Flux.fromIterable(batch).concatMap(record -> process(consumer, record)).then();
        });
    }

    /** The batch's events in order, those of a type or version this service does not know left out and put in {@code unknown}. */
    private Mono<List<EventEnvelope<?>>> decodeKnown(List<ReceiverRecord<String, byte[]>> batch,
            Map<ReceiverRecord<String, byte[]>, UnknownEventType> unknown) {
        return Flux.fromIterable(batch)
                .concatMap(record -> decode(record)
                        .onErrorResume(UnknownEventType.class, skipped -> {
                            unknown.put(record, skipped);
                            return Mono.empty();
                        }))
                .collectList();
    }

    private Mono<Void> process(EventConsumer consumer, ReceiverRecord<String, byte[]> record) {
        return decode(record)
                .onErrorResume(UnknownEventType.class, unknown -> ignore(consumer, record, unknown))
                .flatMap(event -> handleWithRetries(consumer, event))
                .onErrorResume(failure -> deadLetter(consumer, record, failure))
                .then(Mono.fromRunnable(record.receiverOffset()::acknowledge));
    }

    private Mono<EventEnvelope<?>> decode(ReceiverRecord<String, byte[]> record) {
        return Mono.fromCallable(() -> codec.decode(
                header(record, EventCodec.TYPE_HEADER)
                        .orElseThrow(() -> new IllegalArgumentException("no " + EventCodec.TYPE_HEADER + " header")),
                Integer.parseInt(header(record, EventCodec.VERSION_HEADER).orElse("0")),
                record.value()));
    }

    private Mono<EventEnvelope<?>> ignore(EventConsumer consumer, ReceiverRecord<String, byte[]> record,
            UnknownEventType unknown) {
        String typeAndVersion = unknown.type() + " v" + unknown.schemaVersion();
        boolean first = unknownTypesSeen.size() < MAX_REMEMBERED_UNKNOWN_TYPES && unknownTypesSeen.add(typeAndVersion);
        if (first) {
            log.info("{} does not know {} on {}; skipping such events", consumer.name(), typeAndVersion, record.topic());
        }
        else {
            log.debug("{} skipping {} at {}/{}/{}", consumer.name(), typeAndVersion, record.topic(), record.partition(),
                    record.offset());
        }
        Counter.builder("surge.messaging.events.ignored")
                .description("Events skipped because this consumer does not know their type or version")
                .tag("consumer", consumer.name())
                .tag("type", unknown.type())
                .tag("version", Integer.toString(unknown.schemaVersion()))
                .register(meters)
                .increment();
        return Mono.empty();
    }

    private Mono<Void> handleWithRetries(EventConsumer consumer, EventEnvelope<?> event) {
        MessagingProperties.Receiver settings = properties.receiver();
        return Mono.defer(() -> consumer.handle(event).timeout(settings.handlerTimeout()))
                .retryWhen(Retry.backoff(settings.maxAttempts() - 1L, settings.initialBackoff())
                        .maxBackoff(settings.maxBackoff())
                        .doBeforeRetry(signal -> log.warn("{} failed on {} {} (attempt {}): {}", consumer.name(),
                                event.type(), event.eventId(), signal.totalRetries() + 1, signal.failure().toString()))
                        .onRetryExhaustedThrow((spec, signal) -> signal.failure()));
    }

    /**
     * Parks the record in its dead-letter topic. A send that fails is retried with backoff for as
     * long as it takes: the record is acknowledged only once it is parked, so it is never lost, and
     * only its own partition waits meanwhile.
     */
    private Mono<Void> deadLetter(EventConsumer consumer, ReceiverRecord<String, byte[]> record, Throwable failure) {
        log.error("Giving up on {}/{}/{}; parking it in {}.dlt", record.topic(), record.partition(), record.offset(),
                record.topic(), failure);
        MessagingProperties.Receiver settings = properties.receiver();
        OutgoingMessage letter = deadLetterOf(record, failure);
        Counter sendFailures = Counter.builder("surge.messaging.dead.letter.send.failures")
                .description("Failed attempts to park a record in its dead-letter topic (each is retried)")
                .tag("consumer", consumer.name())
                .register(meters);
        return Mono.defer(() -> deadLetters.send(List.of(letter)))
                .doOnError(sendFailed -> sendFailures.increment())
                .retryWhen(Retry.backoff(Long.MAX_VALUE, settings.initialBackoff())
                        .maxBackoff(settings.maxBackoff())
                        .doBeforeRetry(signal -> log.warn("Parking {}/{}/{} failed (attempt {}): {}; retrying",
                                record.topic(), record.partition(), record.offset(), signal.totalRetries() + 1,
                                signal.failure().toString())))
                .doOnSuccess(parked -> Counter.builder("surge.messaging.dead.letters")
                        .description("Records parked in a dead-letter topic")
                        .tag("consumer", consumer.name())
                        .tag("topic", letter.topic())
                        .register(meters)
                        .increment());
    }

    private OutgoingMessage deadLetterOf(ReceiverRecord<String, byte[]> record, Throwable failure) {
        Map<String, String> headers = new HashMap<>();
        for (Header header : record.headers()) {
            headers.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
        }
        headers.put(DLT_REASON_HEADER, failure.getClass().getSimpleName() + ": " + failure.getMessage());
        headers.put(DLT_ORIGIN_HEADER, record.topic() + "/" + record.partition() + "/" + record.offset());
        // record.topic() is already namespaced; the publisher namespaces again, so strip it first.
        String logicalTopic = record.topic().substring(namespace.topic("").length());
        return new OutgoingMessage(logicalTopic + ".dlt", Optional.ofNullable(record.key()).orElse(""), headers,
                record.value());
    }

    private static Optional<String> header(ReceiverRecord<String, byte[]> record, String name) {
        return Optional.ofNullable(record.headers().lastHeader(name))
                .map(header -> new String(header.value(), StandardCharsets.UTF_8));
    }

    /**
     * Counts the records each partition holds between arrival and acknowledgement, and asks for a
     * partition to be paused at the broker when it holds {@code buffer} of them, resumed when it is
     * down to half. Only that partition stops fetching; the consumer keeps polling the others.
     * reactor-kafka remembers partitions paused this way and pauses them again when a rebalance
     * hands them back to this consumer.
     */
    private static final class PartitionGate {

        private final int buffer;
        private final Map<TopicPartition, AtomicInteger> held = new ConcurrentHashMap<>();
        private final Set<TopicPartition> paused = ConcurrentHashMap.newKeySet();
        private final Sinks.Many<Change> changes = Sinks.many().unicast().onBackpressureBuffer();

        PartitionGate(int buffer) {
            this.buffer = buffer;
        }

        /** The pauses and resumes to apply to the consumer, in the order they were decided. */
        Flux<Change> changes() {
            return changes.asFlux();
        }

        void admit(ReceiverRecord<String, byte[]> record) {
            TopicPartition partition = record.receiverOffset().topicPartition();
            AtomicInteger holding = held.computeIfAbsent(partition, key -> new AtomicInteger());
            if (holding.incrementAndGet() >= buffer) {
                decide(partition, holding, true);
            }
        }

        void release(ReceiverRecord<String, byte[]> record) {
            TopicPartition partition = record.receiverOffset().topicPartition();
            AtomicInteger holding = held.get(partition);
            if (holding.decrementAndGet() <= buffer / 2) {
                decide(partition, holding, false);
            }
        }

        /**
         * A rebalance hands partitions back in whatever pause state Kafka and reactor-kafka kept
         * (a resume decided while they were revoked could not be applied): state again what this
         * gate holds for each of them. Applied after the poll that assigned them.
         */
        synchronized void assigned(List<TopicPartition> partitions) {
            partitions.forEach(partition -> changes.tryEmitNext(new Change(partition, paused.contains(partition))));
        }

        /**
         * admit runs on the consumer's thread and release on the handlers': deciding and emitting
         * under one lock, from the count as it is now, keeps a resume from overtaking its pause
         * (which would leave a drained partition paused for good).
         */
        private synchronized void decide(TopicPartition partition, AtomicInteger holding, boolean pause) {
            int now = holding.get();
            if (pause && now >= buffer && paused.add(partition)) {
                log.info("{} holds {} records; pausing it until it catches up", partition, now);
                // fails only once the stream is cancelled, when nothing is left to pause
                changes.tryEmitNext(new Change(partition, true));
            }
            else if (!pause && now <= buffer / 2 && paused.remove(partition)) {
                log.info("{} down to {} records; resuming it", partition, now);
                changes.tryEmitNext(new Change(partition, false));
            }
        }
    }

    /** Pause or resume one partition. */
    private record Change(TopicPartition partition, boolean pause) {

        TopicPartition applyTo(Consumer<?, ?> kafka) {
            // a partition revoked meanwhile is no longer ours to pause or resume
            if (kafka.assignment().contains(partition)) {
                if (pause) {
                    kafka.pause(List.of(partition));
                }
                else {
                    kafka.resume(List.of(partition));
                }
            }
            return partition;
        }
    }
}
