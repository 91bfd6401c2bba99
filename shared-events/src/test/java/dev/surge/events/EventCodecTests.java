package dev.surge.events;

import dev.surge.events.fulfilment.OrderDelivered;
import dev.surge.events.fulfilment.PaymentFailed;
import dev.surge.events.order.OrderPlaced;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventCodecTests {

    private final EventCodec codec = new EventCodec();

    @Test
    void writesTheWholeEnvelopeWithTheDocumentedFieldNames() {
        EventEnvelope<Event> envelope = EventSamples.envelopeOf(EventSamples.of(OrderPlaced.class));

        JsonNode json = codec.mapper().readTree(codec.encode(envelope));

        assertThat(json.propertyNames()).containsExactly(
                "eventId", "type", "schemaVersion", "occurredAt", "aggregateId", "aggregateVersion", "trace", "payload");
        assertThat(json.get("eventId").asString()).isEqualTo(envelope.eventId().toString());
        assertThat(json.get("aggregateId").asString()).isEqualTo(EventSamples.ORDER_ID.toString());
        assertThat(json.get("aggregateVersion").asLong()).isEqualTo(7);
        assertThat(json.get("trace").get("traceparent").asString()).isEqualTo(EventSamples.TRACEPARENT);
        assertThat(json.get("payload").get("total").get("amount").asLong()).isEqualTo(49_638);
        assertThat(json.get("payload").get("total").get("currency").asString()).isEqualTo("EUR");
    }

    @Test
    void writesInstantsAsIso8601Strings() {
        Instant occurredAt = Instant.parse("2025-11-20T09:15:30.123456Z");
        EventEnvelope<Event> envelope = new EventEnvelope<>(UUID.randomUUID(), "OrderDelivered", 1, occurredAt,
                EventSamples.ORDER_ID.toString(), 9, TraceContext.NONE,
                new OrderDelivered(EventSamples.ORDER_ID));

        JsonNode json = codec.mapper().readTree(codec.encode(envelope));

        assertThat(json.get("occurredAt").isString()).isTrue();
        assertThat(json.get("occurredAt").asString()).isEqualTo("2025-11-20T09:15:30.123456Z");
    }

    @Test
    void omitsNullFields() {
        EventEnvelope<Event> envelope = EventEnvelope.of(EventSamples.ORDER_ID.toString(), 2,
                new PaymentFailed(EventSamples.ORDER_ID, 1, "PROVIDER_UNAVAILABLE", null));

        JsonNode json = codec.mapper().readTree(codec.encode(envelope));

        assertThat(json.get("payload").has("message")).isFalse();
        assertThat(json.get("trace").has("traceparent")).isFalse();
    }

    @Test
    void ignoresUnknownFieldsInTheEnvelopeAndInThePayload() {
        EventEnvelope<Event> original = EventSamples.envelopeOf(EventSamples.of(OrderPlaced.class));
        ObjectNode json = (ObjectNode) codec.mapper().readTree(codec.encode(original));
        json.put("partition", "added by a newer producer");
        ((ObjectNode) json.get("payload")).put("giftWrap", true);
        ((ObjectNode) json.get("payload").get("lines").get(0)).putObject("discount").put("amount", 100);

        EventEnvelope<Event> decoded = codec.decode("OrderPlaced", 1, codec.mapper().writeValueAsBytes(json));

        assertThat(decoded).isEqualTo(original);
    }

    @Test
    void readsAnEnvelopeWithoutTraceAsNoTrace() {
        EventEnvelope<Event> original = EventEnvelope.of(EventSamples.ORDER_ID.toString(), 1,
                EventSamples.of(OrderDelivered.class));
        ObjectNode json = (ObjectNode) codec.mapper().readTree(codec.encode(original));
        json.remove("trace");

        EventEnvelope<Event> decoded = codec.decode("OrderDelivered", 1, codec.mapper().writeValueAsBytes(json));

        assertThat(decoded.trace()).isEqualTo(TraceContext.NONE);
        assertThat(decoded).isEqualTo(original);
    }

    @Test
    void rejectsAnUnknownTypeName() {
        byte[] value = codec.encode(EventSamples.envelopeOf(EventSamples.of(OrderPlaced.class)));

        assertThatThrownBy(() -> codec.decode("OrderTeleported", 1, value))
                .isInstanceOfSatisfying(UnknownEventType.class, unknown -> {
                    assertThat(unknown.type()).isEqualTo("OrderTeleported");
                    assertThat(unknown.schemaVersion()).isEqualTo(1);
                });
    }

    @Test
    void rejectsAnUnknownSchemaVersionOfAKnownType() {
        byte[] value = codec.encode(EventSamples.envelopeOf(EventSamples.of(OrderPlaced.class)));

        assertThatThrownBy(() -> codec.decode("OrderPlaced", 2, value))
                .isInstanceOf(UnknownEventType.class)
                .hasMessageContaining("OrderPlaced v2");
    }

    @Test
    void rejectsAJavaClassNameAsTypeName() {
        byte[] value = codec.encode(EventSamples.envelopeOf(EventSamples.of(OrderPlaced.class)));

        assertThatThrownBy(() -> codec.decode(OrderPlaced.class.getName(), 1, value))
                .isInstanceOf(UnknownEventType.class);
    }

    @Test
    void rejectsAnEnvelopeWhoseTypeDisagreesWithTheHeaders() {
        byte[] value = codec.encode(EventEnvelope.of(EventSamples.ORDER_ID.toString(), 1,
                EventSamples.of(OrderDelivered.class)));

        assertThatThrownBy(() -> codec.decode("OrderAllocated", 1, value))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("OrderDelivered");
    }

    @Test
    void rejectsAPayloadMissingARequiredField() {
        ObjectNode json = (ObjectNode) codec.mapper().readTree(
                codec.encode(EventSamples.envelopeOf(EventSamples.of(OrderPlaced.class))));
        ((ObjectNode) json.get("payload")).remove("total");
        byte[] value = codec.mapper().writeValueAsBytes(json);

        assertThatThrownBy(() -> codec.decode("OrderPlaced", 1, value))
                .isInstanceOf(JacksonException.class)
                .hasMessageContaining("total");
    }

    @Test
    void rejectsAValueThatIsNotJson() {
        byte[] value = "not json".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> codec.decode("OrderPlaced", 1, value))
                .isInstanceOf(JacksonException.class);
    }
}
