package dev.surge.messaging;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.surge.events.EventCodec;
import dev.surge.events.EventEnvelope;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.kafka.receiver.KafkaReceiver;
import reactor.kafka.receiver.ReceiverOptions;
import reactor.kafka.receiver.ReceiverRecord;
import reactor.util.retry.Retry;

/**
 * Runs an {@link EventConsumer}: one consumer group, records handled one at a time per partition,
 * offsets acknowledged only after the effect, failures retried with backoff and then parked in
 * {@code <topic>.dlt} so one poison record never holds its partition forever.
 */
public class KafkaEventReceiver {

    /** Header on a dead letter: why it was given up, as {@code ExceptionType: message}. */
    public static final String DLT_REASON_HEADER = "surge-dlt-reason";
    /** Header on a dead letter: where it came from, as {@code topic/partition/offset}. */
    public static final String DLT_ORIGIN_HEADER = "surge-dlt-origin";

    private static final Logger log = LoggerFactory.getLogger(KafkaEventReceiver.class);

    private final MessagingProperties properties;
    private final String applicationName;
    private final EventCodec codec;
    private final TopicNamespace namespace;
    private final EventPublisher deadLetters;

    public KafkaEventReceiver(MessagingProperties properties, String applicationName, EventCodec codec,
            TopicNamespace namespace, EventPublisher deadLetters) {
        this.properties = properties;
        this.applicationName = applicationName;
        this.codec = codec;
        this.namespace = namespace;
        this.deadLetters = deadLetters;
    }

    /** The endless stream that runs the consumer; subscribe once (see {@link StreamLifecycle}). */
    public Flux<Void> run(EventConsumer consumer) {
        String group = namespace.group(applicationName + "." + consumer.name());
        ReceiverOptions<String, byte[]> options = ReceiverOptions.<String, byte[]>create(consumerProperties(group))
                .subscription(consumer.topics().stream().map(namespace::topic).toList())
                .commitInterval(properties.receiver().commitInterval())
                .commitBatchSize(100);
        return KafkaReceiver.create(options)
                .receive()
                .groupBy(record -> record.receiverOffset().topicPartition())
                .flatMap(partition -> partition.concatMap(record -> process(consumer, record)));
    }

    private Map<String, Object> consumerProperties(String group) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, properties.bootstrapServers());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, group + "-consumer");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return config;
    }

    private Mono<Void> process(EventConsumer consumer, ReceiverRecord<String, byte[]> record) {
        return decode(record)
                .flatMap(event -> handleWithRetries(consumer, event))
                .onErrorResume(failure -> deadLetter(record, failure))
                .then(Mono.fromRunnable(record.receiverOffset()::acknowledge));
    }

    private Mono<EventEnvelope<?>> decode(ReceiverRecord<String, byte[]> record) {
        return Mono.fromCallable(() -> codec.decode(
                header(record, EventCodec.TYPE_HEADER).orElse(""),
                Integer.parseInt(header(record, EventCodec.VERSION_HEADER).orElse("0")),
                record.value()));
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

    private Mono<Void> deadLetter(ReceiverRecord<String, byte[]> record, Throwable failure) {
        log.error("Giving up on {}/{}/{}; parking it in {}.dlt", record.topic(), record.partition(), record.offset(),
                record.topic(), failure);
        Map<String, String> headers = new HashMap<>();
        for (Header header : record.headers()) {
            headers.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
        }
        headers.put(DLT_REASON_HEADER, failure.getClass().getSimpleName() + ": " + failure.getMessage());
        headers.put(DLT_ORIGIN_HEADER, record.topic() + "/" + record.partition() + "/" + record.offset());
        // record.topic() is already namespaced; the publisher namespaces again, so strip it first.
        String logicalTopic = record.topic().substring(namespace.topic("").length());
        return deadLetters.send(List.of(new OutgoingMessage(logicalTopic + ".dlt",
                Optional.ofNullable(record.key()).orElse(""), headers, record.value())));
    }

    private static Optional<String> header(ReceiverRecord<String, byte[]> record, String name) {
        return Optional.ofNullable(record.headers().lastHeader(name))
                .map(header -> new String(header.value(), StandardCharsets.UTF_8));
    }
}
