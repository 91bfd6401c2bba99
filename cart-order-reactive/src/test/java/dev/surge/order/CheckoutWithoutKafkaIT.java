package dev.surge.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.surge.events.EventCodec;
import dev.surge.events.EventEnvelope;
import dev.surge.events.Topics;
import dev.surge.messaging.Inbox;
import dev.surge.testsupport.IntegrationTest;
import dev.surge.testsupport.KafkaServer;
import dev.surge.testsupport.TcpProxy;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * Kafka cut during checkout: orders are still taken (the outbox), and once the broker is back every
 * order's events arrive and a consumer that deduplicates by event id has each one's effect once.
 *
 * <p>The one context of its own in this module's tests: the service talks to a broker of this class
 * that advertises a {@link TcpProxy}, so every byte of its producer and consumers crosses the proxy
 * and cutting the proxy cuts Kafka off completely (a client that learned the real broker address from
 * metadata would bypass a proxy placed only in front of the bootstrap address).
 */
@IntegrationTest
class CheckoutWithoutKafkaIT extends ShopFixtures {

    private static final int ORDERS = 10;
    private static final List<String> TOPICS = List.of(Topics.ORDERS, Topics.PAYMENT_REQUESTS, Topics.INVENTORY);

    private static TcpProxy kafkaProxy;
    private static KafkaServer broker;

    @Autowired
    Environment environment;

    @Autowired
    Inbox inbox;

    private final EventCodec codec = new EventCodec();

    @DynamicPropertySource
    static void kafkaBehindAProxy(DynamicPropertyRegistry registry) {
        kafkaProxy = TcpProxy.listen();
        EmbeddedKafkaKraftBroker embedded = new EmbeddedKafkaKraftBroker(1, 3);
        embedded.brokerProperties(Map.of("advertised.listeners", "EXTERNAL://127.0.0.1:" + kafkaProxy.port()));
        broker = KafkaServer.start(embedded);
        String[] real = broker.bootstrapServers().split(",")[0].split(":");
        kafkaProxy.forwardTo(real[0], Integer.parseInt(real[1]));
        registry.add("surge.messaging.bootstrap-servers", () -> "127.0.0.1:" + kafkaProxy.port());
    }

    @AfterAll
    static void stopBroker() {
        kafkaProxy.close();
        broker.stop().run();
    }

    @BeforeAll
    void products() {
        assertThat(environment.getProperty("surge.messaging.bootstrap-servers"))
                .as("the service reaches Kafka through the proxy only")
                .isEqualTo("127.0.0.1:" + kafkaProxy.port());
        product("KC-KETTLE", 2_000, 50);
        product("KC-CABLE", 1_000, 50);
    }

    @Test
    void ordersAreTakenWhileKafkaIsCutAndEveryEventArrivesOnceItIsBack() throws SQLException {
        List<UUID> placed = new ArrayList<>();
        Map<UUID, String> expected = new ConcurrentHashMap<>();
        kafkaProxy.cut();
        try {
            for (int i = 0; i < ORDERS; i++) {
                String sku = i % 2 == 0 ? "KC-KETTLE" : "KC-CABLE";
                // 1 × 20.00 or 10.00 + 4.95 shipping in DE
                long total = (i % 2 == 0 ? 2_000 : 1_000) + 495;
                Map<?, ?> order = post("/api/orders", identity.shopperToken("kc-shopper-" + i))
                        .header("Idempotency-Key", "kc-" + i)
                        .bodyValue(buyNow(sku, 1, total))
                        .exchange()
                        .expectStatus().isCreated()
                        .expectBody(Map.class).returnResult().getResponseBody();
                placed.add(UUID.fromString((String) order.get("id")));
            }
            assertThat(count("SELECT count(*) FROM orders")).isEqualTo(ORDERS);
            expected.putAll(expectedEvents(placed));
            assertThat(expected).hasSize(3 * ORDERS);
            // the relay keeps trying against the cut: for seconds nothing goes out and nothing is parked
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() ->
                    unpublished(expected.keySet()) == 3L * ORDERS);
            assertThat(count("SELECT count(*) FROM outbox WHERE parked_at IS NOT NULL")).isZero();
        }
        finally {
            kafkaProxy.restore();
        }
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() ->
                assertThat(count("SELECT count(*) FROM outbox WHERE published_at IS NULL")).isZero());

        Map<UUID, AtomicInteger> effects = new ConcurrentHashMap<>();
        List<EventEnvelope<?>> received = receiveAll(expected.keySet());
        for (EventEnvelope<?> event : received) {
            // the deduplicating consumer: the service's own inbox, one effect per event id
            StepVerifier.create(inbox.handleOnce("kafka-cut-check", event.eventId(), () -> Mono.fromRunnable(() ->
                            effects.computeIfAbsent(event.eventId(), id -> new AtomicInteger()).incrementAndGet())))
                    .expectNextCount(1)
                    .verifyComplete();
        }
        assertThat(effects.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
        assertThat(effects.values()).allSatisfy(times -> assertThat(times.get()).isEqualTo(1));
        Map<String, Long> byType = new TreeMap<>();
        effects.keySet().forEach(id -> byType.merge(expected.get(id), 1L, Long::sum));
        assertThat(byType).containsExactlyInAnyOrderEntriesOf(Map.of(
                "OrderPlaced", (long) ORDERS, "PaymentRequested", (long) ORDERS, "StockLevelChanged", (long) ORDERS));
        assertThat(count("SELECT count(*) FROM stock WHERE sku IN ('KC-KETTLE', 'KC-CABLE') AND available = 45")).isEqualTo(2);
    }

    /** The event id and type of every order's OrderPlaced and PaymentRequested, and of the stock changes the orders made. */
    private Map<UUID, String> expectedEvents(List<UUID> orders) throws SQLException {
        Map<UUID, String> expected = new ConcurrentHashMap<>();
        for (UUID order : orders) {
            for (String type : List.of("OrderPlaced", "PaymentRequested")) {
                expected.put(UUID.fromString(scalar("SELECT event_id FROM outbox_written WHERE aggregate_id = '" + order
                        + "' AND event_type = '" + type + "'")), type);
            }
        }
        String stockEvents = scalar("SELECT string_agg(event_id::text, ',') FROM outbox_written WHERE event_type = 'StockLevelChanged' "
                + "AND aggregate_id IN ('KC-KETTLE', 'KC-CABLE') AND envelope -> 'payload' ->> 'reason' <> 'ADJUSTED'");
        for (String id : stockEvents.split(",")) {
            expected.put(UUID.fromString(id), "StockLevelChanged");
        }
        return expected;
    }

    private long unpublished(Set<UUID> events) throws SQLException {
        return count("SELECT count(*) FROM outbox WHERE published_at IS NULL AND event_id IN ('"
                + String.join("', '", events.stream().map(UUID::toString).toList()) + "')");
    }

    /** Every record of the three topics until each expected event id was seen at least once. */
    private List<EventEnvelope<?>> receiveAll(Set<UUID> expected) {
        List<EventEnvelope<?>> received = new ArrayList<>();
        Set<UUID> seen = new HashSet<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + kafkaProxy.port(),
                ConsumerConfig.GROUP_ID_CONFIG, "assert-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
            consumer.subscribe(TOPICS.stream().map(isolation::topic).toList());
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    EventEnvelope<?> event = codec.decode(header(record, EventCodec.TYPE_HEADER),
                            Integer.parseInt(header(record, EventCodec.VERSION_HEADER)), record.value());
                    received.add(event);
                    seen.add(event.eventId());
                }
                return seen.containsAll(expected);
            });
        }
        return received.stream().filter(event -> expected.contains(event.eventId())).toList();
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
