package dev.surge.messaging;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import dev.surge.events.EventCodec;
import dev.surge.events.EventEnvelope;
import dev.surge.events.EventTypes;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.kafka.sender.KafkaSender;
import reactor.kafka.sender.SenderOptions;
import reactor.kafka.sender.SenderRecord;

/** {@link EventPublisher} over one reactor-kafka sender, shared by the whole service. */
class KafkaEventPublisher implements EventPublisher, AutoCloseable {

    private final KafkaSender<String, byte[]> sender;
    private final Scheduler sendScheduler;
    private final EventCodec codec;
    private final TopicNamespace namespace;
    private final MessagingProperties properties;
    private final Mono<Void> topicsReady;

    /**
     * @param topicsReady completes once the topics exist (see {@link TopicAdministration}); a send
     *        waits for it, up to the send timeout, so a service may publish before creation finished
     */
    public KafkaEventPublisher(MessagingProperties properties, String clientId, EventCodec codec, TopicNamespace namespace,
            Mono<Void> topicsReady) {
        this.properties = properties;
        this.topicsReady = topicsReady;
        this.codec = codec;
        this.namespace = namespace;
        // KafkaProducer.send can wait for metadata (up to max.block.ms): give it a thread that may
        // block, one only, so records leave in the order they were handed over.
        this.sendScheduler = Schedulers.newBoundedElastic(1, Integer.MAX_VALUE, "surge-kafka-sender");
        this.sender = KafkaSender.create(SenderOptions.<String, byte[]>create(producerProperties(properties, clientId))
                .scheduler(sendScheduler)
                .maxInFlight(1024));
    }

    private static Map<String, Object> producerProperties(MessagingProperties properties, String clientId) {
        int timeoutMs = (int) properties.sendTimeout().toMillis();
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, properties.bootstrapServers());
        config.put(ProducerConfig.CLIENT_ID_CONFIG, clientId + "-producer");
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.max(1000, timeoutMs / 2));
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeoutMs);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeoutMs);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return config;
    }

    @Override
    public Mono<Void> publish(EventEnvelope<?> envelope) {
        return Mono.fromCallable(() -> encode(envelope))
                .flatMap(message -> send(List.of(message)));
    }

    /** Encodes an envelope into the message its topic expects. */
    public OutgoingMessage encode(EventEnvelope<?> envelope) {
        EventTypes.EventType type = EventTypes.of(envelope.payload().getClass());
        return new OutgoingMessage(type.topic(), envelope.aggregateId(), headers(envelope), codec.encode(envelope));
    }

    static Map<String, String> headers(EventEnvelope<?> envelope) {
        return Map.of(
                EventCodec.TYPE_HEADER, envelope.type(),
                EventCodec.VERSION_HEADER, Integer.toString(envelope.schemaVersion()),
                EventCodec.CONTENT_TYPE_HEADER, "application/json");
    }

    @Override
    public Mono<Void> send(List<OutgoingMessage> messages) {
        if (messages.isEmpty()) {
            return Mono.empty();
        }
        return topicsReady.timeout(properties.sendTimeout())
                .thenMany(sender.send(Flux.fromIterable(messages).map(this::toRecord)))
                .concatMap(result -> result.exception() == null
                        ? Mono.empty()
                        : Mono.error(new PublishFailed(result.correlationMetadata(), result.exception())))
                .then()
                .timeout(properties.sendTimeout().plus(properties.sendTimeout()));
    }

    private SenderRecord<String, byte[], String> toRecord(OutgoingMessage message) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(namespace.topic(message.topic()), message.key(), message.value());
        message.headers().forEach((name, value) -> record.headers().add(name, value.getBytes(StandardCharsets.UTF_8)));
        return SenderRecord.create(record, message.topic() + "/" + message.key());
    }

    @Override
    public void close() {
        sender.close();
        sendScheduler.dispose();
    }

    /** The broker did not acknowledge a record. */
    public static final class PublishFailed extends RuntimeException {

        PublishFailed(String record, Throwable cause) {
            super("Kafka did not acknowledge " + record + ": " + cause.getMessage(), cause);
        }
    }
}
