package dev.surge.messaging;

import java.util.Map;
import java.util.Objects;

/**
 * One record ready for the broker.
 *
 * @param topic the logical topic; the publisher applies the namespace
 * @param key the aggregate id, so one aggregate's records share a partition and stay in order
 * @param headers Kafka headers (logical type name, schema version, ...)
 * @param value the encoded envelope
 */
public record OutgoingMessage(String topic, String key, Map<String, String> headers, byte[] value) {

    public OutgoingMessage {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(key, "key");
        headers = Map.copyOf(headers);
        Objects.requireNonNull(value, "value");
    }
}
