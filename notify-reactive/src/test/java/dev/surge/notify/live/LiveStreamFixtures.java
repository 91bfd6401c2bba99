package dev.surge.notify.live;

import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;

import dev.surge.events.Event;
import dev.surge.events.EventEnvelope;
import dev.surge.events.Money;
import dev.surge.events.order.OrderLine;
import dev.surge.events.order.OrderPlaced;
import dev.surge.events.order.OrderStatusChanged;
import dev.surge.messaging.EventPublisher;
import dev.surge.testsupport.IdentityProvider;
import dev.surge.testsupport.Infrastructure;
import dev.surge.testsupport.TestIsolation;
import reactor.core.Disposable;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Base of the live-stream tests: orders moved along by events on the real broker, streams read over
 * real HTTP with a {@link WebClient}, SQL checks against the class's own database. Heartbeats every
 * second and a one-second wait for unseen orders keep the tests short.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class LiveStreamFixtures {

    static final ParameterizedTypeReference<ServerSentEvent<String>> SSE = new ParameterizedTypeReference<>() {
    };

    @Autowired
    WebTestClient http;

    @Autowired
    EventPublisher events;

    @Autowired
    TestIsolation isolation;

    @Autowired
    JsonMapper json;

    @LocalServerPort
    int port;

    final IdentityProvider identity = Infrastructure.identityProvider();

    @DynamicPropertySource
    static void liveSettings(DynamicPropertyRegistry registry) {
        registry.add("surge.live.heartbeat", () -> "1s");
        registry.add("surge.live.order-wait", () -> "1s");
        // no SMTP server in these tests; the orders carry no address, so no mail is queued anyway
        registry.add("surge.mail.relay.enabled", () -> "false");
    }

    static String shopper() {
        return "shopper-" + UUID.randomUUID();
    }

    WebClient client() {
        return client(port);
    }

    static WebClient client(int port) {
        return WebClient.create("http://127.0.0.1:" + port);
    }

    /** A stream read into a list as it arrives, heartbeats included, until it ends or is disposed. */
    Reader read(int port, String path, String token, String lastEventId) {
        Reader reader = new Reader();
        reader.subscription = client(port).get().uri(path)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .headers(headers -> {
                    if (lastEventId != null) {
                        headers.set("Last-Event-ID", lastEventId);
                    }
                })
                .accept(MediaType.TEXT_EVENT_STREAM)
                .retrieve()
                .bodyToFlux(SSE)
                .doOnTerminate(() -> reader.ended = true)
                .subscribe(reader.received::add, failure -> reader.failure = failure);
        return reader;
    }

    Reader read(String path, String token, String lastEventId) {
        return read(port, path, token, lastEventId);
    }

    /** What one client has read so far. */
    final class Reader {
        final List<ServerSentEvent<String>> received = new CopyOnWriteArrayList<>();
        volatile boolean ended;
        volatile Throwable failure;
        Disposable subscription;

        /** The events with data (snapshots and changes), heartbeats and the opening comment left out. */
        List<ServerSentEvent<String>> events() {
            return received.stream().filter(event -> event.data() != null).toList();
        }

        List<JsonNode> changes() {
            return events().stream().filter(event -> "order".equals(event.event())).map(event -> parse(event.data())).toList();
        }

        List<String> statuses() {
            return changes().stream().map(change -> change.path("status").asString()).toList();
        }

        /** Waits until at least {@code n} events with data have arrived. */
        Reader awaitEvents(int n) {
            await().atMost(Duration.ofSeconds(30)).until(() -> events().size() >= n || failure != null);
            return this;
        }

        String lastId() {
            return events().getLast().id();
        }

        void close() {
            subscription.dispose();
        }
    }

    JsonNode parse(String text) {
        return json.readTree(text);
    }

    /** cart-order places an order for the shopper (no address: no mail). */
    void placed(UUID order, String userId) {
        publish(order, 1, new OrderPlaced(order, userId, null,
                List.of(new OrderLine("CUP-1", "Espresso cup", 2, eur(1_250), eur(2_500))),
                eur(2_500), eur(435), eur(490), eur(2_990)));
    }

    /** A new order of the shopper, placed and held by the read model. */
    UUID placedOrder(String userId) {
        UUID order = UUID.randomUUID();
        placed(order, userId);
        awaitVersion(order, 1);
        return order;
    }

    void changed(UUID order, long version, String userId, String from, String to) {
        publish(order, version, new OrderStatusChanged(order, userId, from, to, null));
    }

    void publish(UUID order, long version, Event event) {
        StepVerifier.create(events.publish(EventEnvelope.of(order.toString(), version, event))).verifyComplete();
    }

    /** Waits until the read model holds the order at {@code version}. */
    void awaitVersion(UUID order, long version) {
        await().atMost(Duration.ofSeconds(30)).until(() -> Objects.equals(
                scalar("SELECT version FROM order_status WHERE order_id = '" + order + "'"), Long.toString(version)));
    }

    static Money eur(long cents) {
        return new Money(cents, "EUR");
    }

    String scalar(String sql) throws SQLException {
        try (Connection connection = Infrastructure.postgres().connect(isolation.database());
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            return result.next() ? result.getString(1) : null;
        }
    }

    void execute(String sql) throws SQLException {
        try (Connection connection = Infrastructure.postgres().connect(isolation.database());
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
