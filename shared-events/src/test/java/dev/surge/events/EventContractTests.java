package dev.surge.events;

import dev.surge.events.EventTypes.EventType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import tools.jackson.databind.JsonNode;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class EventContractTests {

    static final List<EventType> registered = EventTypes.all();

    private final EventCodec codec = new EventCodec();

    @Test
    void hasASampleForEveryRegisteredTypeAndNoOther() {
        assertThat(EventSamples.all())
                .extracting(Object::getClass)
                .containsExactlyInAnyOrderElementsOf(registered.stream().map(EventType::javaType).toList());
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("registered")
    void encodesAnEnvelopeThatMatchesTheEnvelopeSchema(EventType type) {
        String json = new String(codec.encode(EventSamples.envelopeOf(EventSamples.of(type.javaType()))));

        assertThat(Schemas.violations(Schemas.ENVELOPE, json)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("registered")
    void encodesAPayloadThatMatchesItsOwnSchema(EventType type) {
        byte[] encoded = codec.encode(EventSamples.envelopeOf(EventSamples.of(type.javaType())));
        JsonNode payload = codec.mapper().readTree(encoded).get("payload");

        assertThat(Schemas.violations(type.schemaPath(), payload.toString())).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("registered")
    void decodesWhatItEncodedIntoAnEqualEnvelope(EventType type) {
        EventEnvelope<Event> original = EventSamples.envelopeOf(EventSamples.of(type.javaType()));

        EventEnvelope<Event> decoded = codec.decode(type.name(), type.version(), codec.encode(original));

        assertThat(decoded).isEqualTo(original);
        assertThat(decoded.payload()).isInstanceOf(type.javaType());
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("registered")
    void namesTheLogicalTypeFromTheTableNeverAJavaClassName(EventType type) {
        EventEnvelope<Event> envelope = EventSamples.envelopeOf(EventSamples.of(type.javaType()));
        JsonNode json = codec.mapper().readTree(codec.encode(envelope));

        assertThat(envelope.type())
                .isEqualTo(type.name())
                .doesNotContain(".")
                .isNotEqualTo(type.javaType().getName());
        assertThat(envelope.schemaVersion()).isEqualTo(type.version());
        assertThat(json.get("type").asString()).isEqualTo(type.name());
        assertThat(json.get("schemaVersion").asInt()).isEqualTo(type.version());
    }
}
