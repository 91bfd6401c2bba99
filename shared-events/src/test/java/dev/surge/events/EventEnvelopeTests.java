package dev.surge.events;

import dev.surge.events.fulfilment.OrderDelivered;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

class EventEnvelopeTests {

    private final OrderDelivered delivered = new OrderDelivered(EventSamples.ORDER_ID);

    @Test
    void ofFillsAFreshIdTheCurrentInstantAndTheRegisteredTypeAndVersion() {
        Instant before = Instant.now();

        EventEnvelope<OrderDelivered> first = EventEnvelope.of(EventSamples.ORDER_ID.toString(), 5, delivered);
        EventEnvelope<OrderDelivered> second = EventEnvelope.of(EventSamples.ORDER_ID.toString(), 5, delivered);

        assertThat(first.eventId()).isNotEqualTo(second.eventId());
        assertThat(first.occurredAt()).isBetween(before.truncatedTo(ChronoUnit.MICROS), Instant.now());
        assertThat(first.occurredAt().getNano() % 1_000).as("whole microseconds, as PostgreSQL stores them").isZero();
        assertThat(first.type()).isEqualTo("OrderDelivered");
        assertThat(first.schemaVersion()).isEqualTo(1);
        assertThat(first.aggregateId()).isEqualTo(EventSamples.ORDER_ID.toString());
        assertThat(first.aggregateVersion()).isEqualTo(5);
        assertThat(first.trace()).isEqualTo(TraceContext.NONE);
        assertThat(first.payload()).isSameAs(delivered);
    }

    @Test
    void withTraceKeepsEverythingElse() {
        EventEnvelope<OrderDelivered> envelope = EventEnvelope.of(EventSamples.ORDER_ID.toString(), 5, delivered);

        EventEnvelope<OrderDelivered> traced = envelope.withTrace(new TraceContext(EventSamples.TRACEPARENT));

        assertThat(traced.trace().traceparent()).isEqualTo(EventSamples.TRACEPARENT);
        assertThat(traced.withTrace(TraceContext.NONE)).isEqualTo(envelope);
    }

    @Test
    void treatsAMissingTraceAsNoTrace() {
        EventEnvelope<OrderDelivered> envelope = new EventEnvelope<>(UUID.randomUUID(), "OrderDelivered", 1,
                Instant.now(), EventSamples.ORDER_ID.toString(), 1, null, delivered);

        assertThat(envelope.trace()).isEqualTo(TraceContext.NONE);
    }

    @Test
    void rejectsAMissingPayloadOrAggregateId() {
        assertThatNullPointerException().isThrownBy(() -> new EventEnvelope<OrderDelivered>(UUID.randomUUID(),
                "OrderDelivered", 1, Instant.now(), EventSamples.ORDER_ID.toString(), 1, TraceContext.NONE, null));
        assertThatNullPointerException().isThrownBy(() -> EventEnvelope.of(null, 1, delivered));
    }

    @Test
    void rejectsASchemaVersionBelowOne() {
        assertThatIllegalArgumentException().isThrownBy(() -> new EventEnvelope<>(UUID.randomUUID(),
                "OrderDelivered", 0, Instant.now(), EventSamples.ORDER_ID.toString(), 1, TraceContext.NONE, delivered));
    }
}
