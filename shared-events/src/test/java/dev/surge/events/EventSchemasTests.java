package dev.surge.events;

import dev.surge.events.fulfilment.PaymentSucceeded;
import dev.surge.events.order.OrderPlaced;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

/** The schemas really constrain: a sample bent out of shape is rejected. */
class EventSchemasTests {

    private static final String ORDER_PLACED = EventTypes.of(OrderPlaced.class).schemaPath();

    private final EventCodec codec = new EventCodec();

    @Test
    void envelopeSchemaRejectsAJavaClassNameAsType() {
        ObjectNode envelope = encoded(OrderPlaced.class);
        envelope.put("type", OrderPlaced.class.getName());

        assertThat(Schemas.violations(Schemas.ENVELOPE, envelope.toString())).isNotEmpty();
    }

    @Test
    void envelopeSchemaRejectsAMissingEventIdAndANonUuidOne() {
        ObjectNode withoutId = encoded(OrderPlaced.class);
        withoutId.remove("eventId");
        ObjectNode badId = encoded(OrderPlaced.class);
        badId.put("eventId", "42");

        assertThat(Schemas.violations(Schemas.ENVELOPE, withoutId.toString())).isNotEmpty();
        assertThat(Schemas.violations(Schemas.ENVELOPE, badId.toString())).isNotEmpty();
    }

    @Test
    void envelopeSchemaRejectsAnEpochNumberAsOccurredAt() {
        ObjectNode envelope = encoded(OrderPlaced.class);
        envelope.put("occurredAt", 1_763_630_130L);

        assertThat(Schemas.violations(Schemas.ENVELOPE, envelope.toString())).isNotEmpty();
    }

    @Test
    void payloadSchemaRejectsAMissingRequiredField() {
        ObjectNode payload = (ObjectNode) encoded(OrderPlaced.class).get("payload");
        payload.remove("total");

        assertThat(Schemas.violations(ORDER_PLACED, payload.toString())).anyMatch(message -> message.contains("total"));
    }

    @Test
    void payloadSchemaRejectsALowerCaseCurrencyAndAFractionalAmount() {
        ObjectNode payload = (ObjectNode) encoded(PaymentSucceeded.class).get("payload");
        ((ObjectNode) payload.get("amount")).put("currency", "eur");
        String lowerCase = payload.toString();
        ((ObjectNode) payload.get("amount")).put("currency", "EUR").put("amount", 496.38);
        String fractional = payload.toString();

        String schema = EventTypes.of(PaymentSucceeded.class).schemaPath();
        assertThat(Schemas.violations(schema, lowerCase)).isNotEmpty();
        assertThat(Schemas.violations(schema, fractional)).isNotEmpty();
    }

    @Test
    void payloadSchemaRejectsAnOrderIdThatIsNoUuid() {
        ObjectNode payload = (ObjectNode) encoded(OrderPlaced.class).get("payload");
        payload.put("orderId", "order-1");

        assertThat(Schemas.violations(ORDER_PLACED, payload.toString())).isNotEmpty();
    }

    @Test
    void payloadSchemaAllowsAnAddedField() {
        ObjectNode payload = (ObjectNode) encoded(OrderPlaced.class).get("payload");
        payload.put("giftWrap", true);

        assertThat(Schemas.violations(ORDER_PLACED, payload.toString())).isEmpty();
    }

    private ObjectNode encoded(Class<? extends Event> type) {
        JsonNode json = codec.mapper().readTree(codec.encode(EventSamples.envelopeOf(EventSamples.of(type))));
        return (ObjectNode) json;
    }
}
