package dev.surge.events.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.surge.events.Event;
import dev.surge.events.EventCodec;
import dev.surge.events.EventEnvelope;
import dev.surge.events.Money;

class PaymentRequestedTests {

    private static final UUID ORDER = UUID.fromString("3f1c2a9e-8b7d-4c5e-9f10-2a3b4c5d6e7f");
    private static final Money AMOUNT = new Money(4_995, "EUR");

    @Test
    void aRequestOfAProducerThatPredatesTheCountryDecodesWithoutOne() {
        // the shape the first producers wrote: no shipToCountry
        String old = """
                {"eventId": "1a111de3-b4cc-4834-9985-3031d5754095", "type": "PaymentRequested", "schemaVersion": 1,
                 "occurredAt": "2026-12-01T10:00:00Z", "aggregateId": "3f1c2a9e-8b7d-4c5e-9f10-2a3b4c5d6e7f",
                 "aggregateVersion": 1,
                 "payload": {"orderId": "3f1c2a9e-8b7d-4c5e-9f10-2a3b4c5d6e7f", "userId": "ada", "attempt": 1,
                             "amount": {"amount": 4995, "currency": "EUR"}, "paymentToken": "tok_visa"}}""";

        EventEnvelope<Event> read = new EventCodec().decode("PaymentRequested", 1, old.getBytes(StandardCharsets.UTF_8));

        assertThat(read.payload()).isEqualTo(new PaymentRequested(ORDER, "ada", 1, AMOUNT, "tok_visa"));
        assertThat(((PaymentRequested) read.payload()).shipToCountry()).isNull();
    }

    @Test
    void rejectsACountryThatIsNotAnAlpha2Code() {
        assertThatIllegalArgumentException().isThrownBy(() -> new PaymentRequested(ORDER, "ada", 1, AMOUNT, "tok_visa", "de"));
        assertThatIllegalArgumentException().isThrownBy(() -> new PaymentRequested(ORDER, "ada", 1, AMOUNT, "tok_visa", "DEU"));
    }
}
