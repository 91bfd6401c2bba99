package dev.surge.fulfilment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.surge.events.Event;
import dev.surge.events.EventCodec;
import dev.surge.events.EventEnvelope;
import dev.surge.events.Money;
import dev.surge.events.Topics;
import dev.surge.events.fulfilment.PaymentSucceeded;
import dev.surge.events.order.OrderStatusChanged;
import dev.surge.events.order.PaymentRequested;
import dev.surge.messaging.EventPublisher;
import dev.surge.testsupport.IdentityProvider;
import dev.surge.testsupport.Infrastructure;
import dev.surge.testsupport.TestIsolation;
import reactor.test.StepVerifier;

/**
 * Base of fulfilment's tests: requests published to the real topics with the service's own producer,
 * results read back from {@code shop.payments.v1} and {@code shop.fulfilment.v1} with a consumer of
 * the test's, SQL checks against the class's database.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class FulfilmentFixtures {

    @Autowired
    WebTestClient http;

    @Autowired
    EventPublisher events;

    @Autowired
    TestIsolation isolation;

    final IdentityProvider identity = Infrastructure.identityProvider();

    private final EventCodec codec = new EventCodec();
    private final List<EventEnvelope<Event>> seen = new ArrayList<>();
    private KafkaConsumer<String, byte[]> results;

    @BeforeAll
    void resultReader() {
        results = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, Infrastructure.kafka().bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "assert-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class));
        results.subscribe(List.of(isolation.topic(Topics.PAYMENTS), isolation.topic(Topics.FULFILMENT)));
    }

    @AfterAll
    void closeResultReader() {
        results.close();
    }

    static Money eur(long cents) {
        return new Money(cents, "EUR");
    }

    static PaymentRequested request(UUID order, int attempt, long cents, String token, String country) {
        return new PaymentRequested(order, "shopper-" + order.toString().substring(0, 8), attempt, eur(cents), token, country);
    }

    void publish(EventEnvelope<? extends Event> event) {
        StepVerifier.create(events.publish(event)).verifyComplete();
    }

    /** Publishes the event in a new envelope keyed by its order. */
    EventEnvelope<Event> publish(UUID order, Event event) {
        EventEnvelope<Event> envelope = EventEnvelope.of(order.toString(), 1, event);
        publish(envelope);
        return envelope;
    }

    /**
     * Plays cart-order's part once fulfilment has published the order's payment success: the order
     * moves to {@code CONFIRMED} on the orders topic, which is what fulfilment ships on.
     */
    void confirmOnceCharged(UUID order) {
        awaitEvents(order, events -> events.stream().anyMatch(PaymentSucceeded.class::isInstance));
        publish(order, new OrderStatusChanged(order, "shopper-" + order.toString().substring(0, 8), "PENDING_PAYMENT",
                "CONFIRMED", null));
    }

    /** Every event read from the result topics so far about this order, in the order they came. */
    synchronized List<Event> eventsOf(UUID order) {
        for (ConsumerRecord<String, byte[]> record : results.poll(Duration.ofMillis(100))) {
            seen.add(codec.decode(header(record, EventCodec.TYPE_HEADER),
                    Integer.parseInt(header(record, EventCodec.VERSION_HEADER)), record.value()));
        }
        return seen.stream()
                .filter(envelope -> envelope.aggregateId().equals(order.toString()))
                .map(EventEnvelope::payload)
                .map(Event.class::cast)
                .toList();
    }

    /** Waits until the order's events on the result topics match, and returns them. */
    List<Event> awaitEvents(UUID order, Predicate<List<Event>> done) {
        await().atMost(Duration.ofSeconds(30)).until(() -> done.test(eventsOf(order)));
        return eventsOf(order);
    }

    /** Events of a type about the order, among those read so far. */
    <E extends Event> List<E> ofType(UUID order, Class<E> type) {
        return eventsOf(order).stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** Waits until every outbox row is published, so the topics hold everything the service wrote. */
    void awaitOutboxDrained() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(count("SELECT count(*) FROM outbox WHERE published_at IS NULL")).isZero());
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return new String(header.value(), java.nio.charset.StandardCharsets.UTF_8);
    }

    String scalar(String sql) throws SQLException {
        try (Connection connection = Infrastructure.postgres().connect(isolation.database());
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            return rows.next() ? rows.getString(1) : null;
        }
    }

    void execute(String sql) throws SQLException {
        try (Connection connection = Infrastructure.postgres().connect(isolation.database());
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    long count(String sql) throws SQLException {
        return Long.parseLong(scalar(sql));
    }

    /** How many operations the simulated provider made under this key: the proof of "charged once". */
    long providerOperations(String key) throws SQLException {
        return count("SELECT count(*) FROM simulated_provider_operation WHERE idempotency_key = '" + key + "'");
    }

    static String chargeKey(UUID order, int attempt) {
        return order + ":" + attempt + ":charge";
    }

    static String refundKey(UUID order, int attempt) {
        return order + ":" + attempt + ":refund";
    }
}
