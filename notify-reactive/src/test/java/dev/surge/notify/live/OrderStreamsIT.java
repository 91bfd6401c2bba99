package dev.surge.notify.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.transaction.reactive.TransactionalOperator;

import dev.surge.events.fulfilment.OrderShipped;
import dev.surge.events.fulfilment.PaymentFailed;
import dev.surge.notify.NotifyApplication;
import dev.surge.testsupport.IntegrationTest;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;

/**
 * A shopper's live order status end to end in one context: events on a real broker, the read model
 * and the shopper's feed in real PostgreSQL, changes fanned out through PostgreSQL notifications,
 * streams read over real HTTP; a second (and a restarted) notify instance on the same database and
 * consumer group for the fan-out and the resume across a restart.
 */
@IntegrationTest
class OrderStreamsIT extends LiveStreamFixtures {

    @Autowired
    R2dbcShopperFeed feed;

    @Autowired
    TransactionalOperator transactions;

    @Autowired
    MeterRegistry meters;

    @Autowired
    Environment environment;

    @Autowired
    ReactiveStringRedisTemplate redis;

    @Test
    void showsTheSnapshotThenEachStatusChangeAndEndsAfterDelivery() {
        String ada = shopper();
        UUID order = placedOrder(ada);

        Reader stream = read("/api/orders/" + order + "/events", identity.shopperToken(ada), null);
        Reader all = read("/api/orders/events", identity.shopperToken(ada), null);
        stream.awaitEvents(1);
        all.awaitEvents(1);

        changed(order, 2, ada, "PENDING_PAYMENT", "CONFIRMED");
        changed(order, 3, ada, "CONFIRMED", "ALLOCATED");
        publish(order, 1, new OrderShipped(order, "DHL", "JJD000123"));
        changed(order, 4, ada, "ALLOCATED", "SHIPPED");
        changed(order, 5, ada, "SHIPPED", "DELIVERED");

        await().atMost(Duration.ofSeconds(30)).until(() -> stream.ended);
        assertThat(stream.failure).isNull();
        assertThat(stream.received.getFirst().comment()).isEqualTo("stream open");
        assertThat(stream.received.getFirst().retry()).isEqualTo(Duration.ofSeconds(3));
        ServerSentEventAssert.snapshot(stream.events().getFirst(), this, order, "PENDING_PAYMENT");
        // the tracking number is a change of its own (fulfilment's detail), wherever it falls among the statuses
        assertThat(stream.statuses()).containsSubsequence("CONFIRMED", "ALLOCATED", "SHIPPED", "DELIVERED");
        assertThat(stream.statuses().stream().distinct().toList()).containsExactly("CONFIRMED", "ALLOCATED", "SHIPPED", "DELIVERED");
        JsonNode delivered = stream.changes().getLast();
        assertThat(delivered.path("finalStatus").asBoolean()).isTrue();
        assertThat(delivered.path("shipment").path("trackingNumber").asString()).isEqualTo("JJD000123");
        assertThat(delivered.path("total").path("amount").asLong()).isEqualTo(2_990);
        // the time of every step, for the shopper's timeline
        List<Instant> steps = Stream.of("placedAt", "confirmedAt", "allocatedAt", "shipment", "deliveredAt")
                .map(step -> delivered.path(step).isObject() ? delivered.path(step).path("at") : delivered.path(step))
                .map(at -> Instant.parse(at.asString()))
                .toList();
        assertThat(steps).isSorted();
        assertIdsIncrease(stream);

        // the shopper's stream of all orders carries the same changes with the same ids, and stays open
        all.awaitEvents(stream.events().size());
        assertThat(all.events().subList(1, all.events().size())).extracting(event -> event.id())
                .containsExactlyElementsOf(stream.events().subList(1, stream.events().size()).stream().map(event -> event.id()).toList());
        assertThat(all.ended).isFalse();
        all.close();
    }

    @Test
    void resumesFromLastEventIdWithEveryMissedEventOnceInOrder() {
        String bea = shopper();
        UUID order = placedOrder(bea);
        Reader first = read("/api/orders/" + order + "/events", identity.shopperToken(bea), null);
        first.awaitEvents(1);
        changed(order, 2, bea, "PENDING_PAYMENT", "CONFIRMED");
        first.awaitEvents(2);
        first.close();
        String seen = first.lastId();

        changed(order, 3, bea, "CONFIRMED", "ALLOCATED");
        changed(order, 4, bea, "ALLOCATED", "SHIPPED");
        awaitVersion(order, 4);

        Reader resumed = read("/api/orders/" + order + "/events", identity.shopperToken(bea), seen);
        resumed.awaitEvents(2);
        changed(order, 5, bea, "SHIPPED", "DELIVERED");
        await().atMost(Duration.ofSeconds(30)).until(() -> resumed.ended);

        assertThat(resumed.events()).noneMatch(event -> "snapshot".equals(event.event()));
        assertThat(resumed.statuses()).containsExactly("ALLOCATED", "SHIPPED", "DELIVERED");
        assertThat(Long.parseLong(resumed.events().getFirst().id())).isEqualTo(Long.parseLong(seen) + 1);
        assertIdsIncrease(resumed);

        // the client saw the end: its reconnect answers 204, which makes EventSource stop
        http.get().uri("/api/orders/{id}/events", order)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + identity.shopperToken(bea))
                .header("Last-Event-ID", resumed.lastId())
                .accept(MediaType.TEXT_EVENT_STREAM)
                .exchange()
                .expectStatus().isNoContent();
        // a client that missed the end gets it, then the stream ends
        Reader late = read("/api/orders/" + order + "/events", identity.shopperToken(bea), seen);
        await().atMost(Duration.ofSeconds(30)).until(() -> late.ended);
        assertThat(late.statuses()).containsExactly("ALLOCATED", "SHIPPED", "DELIVERED");
        // the stream of all orders resumes the same way, and after the last id it has nothing to replay
        Reader allResumed = read("/api/orders/events", identity.shopperToken(bea), seen);
        allResumed.awaitEvents(3);
        assertThat(allResumed.statuses()).containsExactly("ALLOCATED", "SHIPPED", "DELIVERED");
        allResumed.close();
    }

    @Test
    void anIdTooOldToReplayGetsAFreshSnapshotThatSaysSo() throws Exception {
        String cy = shopper();
        UUID order = UUID.randomUUID();
        placed(order, cy);
        changed(order, 2, cy, "PENDING_PAYMENT", "CONFIRMED");
        changed(order, 3, cy, "CONFIRMED", "ALLOCATED");
        awaitVersion(order, 3);
        // the clean-up took the oldest changes (retention): id 1 is gone, so nothing after it can be replayed whole
        execute("DELETE FROM shopper_event WHERE user_id = '" + cy + "' AND id <= 2");

        Reader stream = read("/api/orders/" + order + "/events", identity.shopperToken(cy), "1");
        stream.awaitEvents(1);
        ServerSentEventAssert.snapshot(stream.events().getFirst(), this, order, "ALLOCATED");
        assertThat(parse(stream.events().getFirst().data()).path("lastEventIdTooOld").asBoolean()).isTrue();
        assertThat(stream.events().getFirst().id()).isEqualTo("3");
        // an id from the future (another database) is no better
        Reader unknown = read("/api/orders/events", identity.shopperToken(cy), "999");
        unknown.awaitEvents(1);
        assertThat(parse(unknown.events().getFirst().data()).path("lastEventIdTooOld").asBoolean()).isTrue();
        stream.close();
        unknown.close();
    }

    @Test
    void waitsForAnOrderNotSeenYet() {
        String dee = shopper();
        UUID order = UUID.randomUUID();
        Reader stream = read("/api/orders/" + order + "/events", identity.shopperToken(dee), null);
        placed(order, dee);
        stream.awaitEvents(1);
        assertThat(stream.failure).isNull();
        ServerSentEventAssert.snapshot(stream.events().getFirst(), this, order, "PENDING_PAYMENT");
        stream.close();
    }

    @Test
    void anotherShoppersOrderIsNotFoundLikeAnUnknownOneBeforeAnyStream() {
        String eve = shopper();
        UUID order = placedOrder(eve);

        for (UUID asked : List.of(order, UUID.randomUUID())) {
            http.get().uri("/api/orders/{id}/events", asked)
                    .header(HttpHeaders.AUTHORIZATION, "Bearer " + identity.shopperToken(shopper()))
                    .accept(MediaType.TEXT_EVENT_STREAM)
                    .exchange()
                    .expectStatus().isNotFound()
                    .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody()
                    .jsonPath("$.type").isEqualTo("https://surge.dev/problems/order-not-found");
        }
        http.get().uri("/api/orders/{id}/events", "not-a-uuid")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + identity.shopperToken(eve))
                .accept(MediaType.TEXT_EVENT_STREAM)
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody()
                .jsonPath("$.errors[0].field").isEqualTo("id");
        http.get().uri("/api/orders/events")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + identity.shopperToken(eve))
                .header("Last-Event-ID", "yesterday")
                .accept(MediaType.TEXT_EVENT_STREAM)
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody()
                .jsonPath("$.errors[0].field").isEqualTo("Last-Event-ID");
    }

    @Test
    void refusesMissingAndExpiredTokensAndShoppersOnOpsStreams() {
        UUID order = UUID.randomUUID();
        http.get().uri("/api/orders/{id}/events", order)
                .accept(MediaType.TEXT_EVENT_STREAM)
                .exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        String expired = identity.sign(identity.claims("fay").issueTime(Date.from(Instant.now().minusSeconds(600)))
                .notBeforeTime(Date.from(Instant.now().minusSeconds(600)))
                .expirationTime(Date.from(Instant.now().minusSeconds(120))).build());
        http.get().uri("/api/orders/events")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + expired)
                .accept(MediaType.TEXT_EVENT_STREAM)
                .exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        for (String path : List.of("/api/ops/events", "/api/ops/metrics")) {
            http.get().uri(path)
                    .header(HttpHeaders.AUTHORIZATION, "Bearer " + identity.shopperToken("fay"))
                    .accept(MediaType.TEXT_EVENT_STREAM)
                    .exchange()
                    .expectStatus().isForbidden()
                    .expectBody()
                    .jsonPath("$.type").isEqualTo("https://surge.dev/problems/forbidden");
        }
    }

    @Test
    void endsTheStreamWhenItsTokenExpires() {
        String gus = shopper();
        String shortLived = identity.sign(identity.claims(gus).expirationTime(Date.from(Instant.now().plusSeconds(3))).build());
        Instant opened = Instant.now();
        Reader stream = read("/api/orders/events", shortLived, null);
        stream.awaitEvents(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> stream.ended);
        assertThat(stream.failure).isNull();
        assertThat(Duration.between(opened, Instant.now())).isLessThan(Duration.ofSeconds(5));
        // heartbeats kept it company meanwhile
        assertThat(stream.received).anyMatch(event -> "heartbeat".equals(event.comment()));
    }

    @Test
    void refusesTheEleventhStreamOfOneShopper() {
        String hal = shopper();
        double uncheckedBefore = unchecked();
        List<Reader> open = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            open.add(read("/api/orders/events", identity.shopperToken(hal), null));
        }
        open.forEach(reader -> reader.awaitEvents(1));
        refusesOneMoreStream(hal);
        // counted shop-wide: one lease per stream in Redis, but for a stream whose acquire Redis did not answer
        // within redis-timeout (a loaded machine): that one went through on the instance's count, counted so,
        // and gets its lease by the next renewal
        assertThat(leases(hal) + (unchecked() - uncheckedBefore)).isEqualTo(10);
        assertThat(leases(hal)).isPositive();
        // another shopper is not held back by hal's streams
        Reader other = read("/api/orders/events", identity.shopperToken(shopper()), null);
        other.awaitEvents(1);
        other.close();
        // one closed, one more may open
        open.getFirst().close();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            Reader again = read("/api/orders/events", identity.shopperToken(hal), null);
            again.awaitEvents(1);
            assertThat(again.failure).isNull();
            open.add(again);
        });
        open.forEach(Reader::close);
    }

    @Test
    void disconnectsASlowClientWhileAFastOneGetsEveryEvent() throws Exception {
        String ida = shopper();
        UUID order = placedOrder(ida);
        String token = identity.shopperToken(ida);
        double overflowsBefore = overflows();

        try (Socket slow = new Socket()) {
            // a client that stops reading: a small receive window, and nothing read after the snapshot
            slow.setReceiveBufferSize(4096);
            slow.connect(new InetSocketAddress("127.0.0.1", port));
            OutputStream request = slow.getOutputStream();
            request.write(("GET /api/orders/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n"
                    + "Authorization: Bearer " + token + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            request.flush();
            slow.setSoTimeout(10_000);
            InputStream response = slow.getInputStream();
            StringBuilder head = new StringBuilder();
            while (!head.toString().contains("event:snapshot")) {
                head.append((char) response.read());
            }
            Reader fast = read("/api/orders/events", token, null);
            fast.awaitEvents(1);

            // changes of the order through the feed's own write path, as fast as PostgreSQL takes them,
            // until the slow client's buffer overflows
            OrderView view = parseView(order);
            int sent = 0;
            while (overflows() == overflowsBefore && sent < 20_000) {
                for (int i = 0; i < 100; i++) {
                    sent++;
                    OrderView next = new OrderView(order, i % 2 == 0 ? "PAYMENT_FAILED" : "PENDING_PAYMENT", 1 + sent,
                            null, view.total(), null, null, null, view.placedAt(), Instant.now(), null, null, null, null, false);
                    StepVerifier.create(transactions.transactional(feed.append(ida, next))).verifyComplete();
                }
            }
            assertThat(overflows()).as("the slow client overflowed within %d changes", sent).isGreaterThan(overflowsBefore);
            LoggerFactory.getLogger(OrderStreamsIT.class).info("the slow client was disconnected within {} changes", sent);
            int total = sent;
            fast.awaitEvents(1 + total);
            assertThat(fast.changes()).hasSize(total);
            assertThat(fast.changes()).extracting(change -> change.path("version").asLong())
                    .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(2, 1 + total).boxed().toList());
            assertThat(fast.ended).isFalse();

            // the slow client's connection was really closed: what it had not read yet, then the end
            byte[] chunk = new byte[65_536];
            long read = 0;
            try {
                int n;
                while ((n = response.read(chunk)) != -1) {
                    read += n;
                }
            }
            catch (SocketTimeoutException stillOpen) {
                throw new AssertionError("the slow client's connection was left open (read " + read + " bytes)", stillOpen);
            }
            fast.close();
        }
    }

    @Test
    void everyInstanceDeliversEveryChangeAndAStreamResumesOnARestartedInstance() {
        String jo = shopper();
        UUID order = placedOrder(jo);
        try (ConfigurableApplicationContext second = secondInstance()) {
            int secondPort = Integer.parseInt(second.getEnvironment().getProperty("local.server.port"));
            Reader here = read("/api/orders/" + order + "/events", identity.shopperToken(jo), null);
            Reader there = read(secondPort, "/api/orders/" + order + "/events", identity.shopperToken(jo), null);
            here.awaitEvents(1);
            there.awaitEvents(1);

            // the streams limit is the shop's: eight more on the second instance, and the first, which holds
            // one of jo's streams, refuses the eleventh
            List<Reader> more = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                more.add(read(secondPort, "/api/orders/events", identity.shopperToken(jo), null));
            }
            more.forEach(reader -> reader.awaitEvents(1));
            refusesOneMoreStream(jo);
            more.forEach(Reader::close);

            changed(order, 2, jo, "PENDING_PAYMENT", "CONFIRMED");
            changed(order, 3, jo, "CONFIRMED", "ALLOCATED");
            here.awaitEvents(3);
            there.awaitEvents(3);
            assertThat(here.statuses()).containsExactly("CONFIRMED", "ALLOCATED");
            assertThat(there.statuses()).containsExactly("CONFIRMED", "ALLOCATED");
            assertThat(there.events()).extracting(event -> event.id())
                    .containsExactlyElementsOf(here.events().stream().map(event -> event.id()).toList());
            String seen = there.lastId();
            here.close();

            // the second instance goes away with its client's stream; the order moves on meanwhile
            second.close();
            await().atMost(Duration.ofSeconds(10)).until(() -> there.ended);
            changed(order, 4, jo, "ALLOCATED", "SHIPPED");
            awaitVersion(order, 4);

            // it comes back (the same database: what a restart is) and the client resumes there
            try (ConfigurableApplicationContext restarted = secondInstance()) {
                int restartedPort = Integer.parseInt(restarted.getEnvironment().getProperty("local.server.port"));
                Reader resumed = read(restartedPort, "/api/orders/" + order + "/events", identity.shopperToken(jo), seen);
                resumed.awaitEvents(1);
                changed(order, 5, jo, "SHIPPED", "DELIVERED");
                await().atMost(Duration.ofSeconds(30)).until(() -> resumed.ended);
                assertThat(resumed.statuses()).containsExactly("SHIPPED", "DELIVERED");
            }
        }
    }

    @Test
    void aPaymentFailureShowsItsReasonAndIsNotTheEnd() {
        String kim = shopper();
        UUID order = placedOrder(kim);
        Reader stream = read("/api/orders/" + order + "/events", identity.shopperToken(kim), null);
        stream.awaitEvents(1);
        publish(order, 1, new PaymentFailed(order, 1, "CARD_DECLINED", "do not honour"));
        publish(order, 2, new dev.surge.events.order.OrderStatusChanged(order, kim, "PENDING_PAYMENT", "PAYMENT_FAILED", "CARD_DECLINED"));
        await().atMost(Duration.ofSeconds(30)).until(() -> stream.statuses().contains("PAYMENT_FAILED")
                && stream.changes().getLast().path("paymentFailure").path("message").asString().equals("do not honour"));
        JsonNode failed = stream.changes().getLast();
        assertThat(failed.path("paymentFailure").path("reason").asString()).isEqualTo("CARD_DECLINED");
        assertThat(failed.path("finalStatus").asBoolean()).isFalse();
        assertThat(stream.ended).isFalse();
        stream.close();
    }

    private OrderView parseView(UUID order) {
        Reader snapshot = read("/api/orders/" + order + "/events", identity.shopperToken(
                scalarUnchecked("SELECT user_id FROM order_status WHERE order_id = '" + order + "'")), null);
        snapshot.awaitEvents(1);
        snapshot.close();
        return json.treeToValue(parse(snapshot.events().getFirst().data()).path("orders").get(0), OrderView.class);
    }

    private String scalarUnchecked(String sql) {
        try {
            return scalar(sql);
        }
        catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private double overflows() {
        return meters.get("surge.sse.disconnects").tag("stream", "orders").counter().count();
    }

    /** One more stream of the shopper on this instance: {@code 429} with the problem, even to an EventSource. */
    private void refusesOneMoreStream(String userId) {
        http.get().uri("/api/orders/events")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + identity.shopperToken(userId))
                .accept(MediaType.TEXT_EVENT_STREAM)
                .exchange()
                .expectStatus().isEqualTo(HttpStatus.TOO_MANY_REQUESTS)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type").isEqualTo("https://surge.dev/problems/too-many-streams")
                .jsonPath("$.limit").isEqualTo(10);
    }

    private double unchecked() {
        return meters.get("surge.sse.limit.unchecked").counter().count();
    }

    private long leases(String userId) {
        return redis.opsForZSet().size(environment.getProperty("surge.live.key-prefix") + "streams:" + userId)
                .block(Duration.ofSeconds(5));
    }

    private static void assertIdsIncrease(Reader reader) {
        List<Long> ids = reader.events().stream().map(event -> Long.parseLong(event.id())).toList();
        assertThat(ids).isSorted().doesNotHaveDuplicates();
    }

    /** Another notify on this class's database, Redis, topics and consumer group, on a port of its own. */
    private ConfigurableApplicationContext secondInstance() {
        Map<String, Object> properties = new HashMap<>();
        for (String key : List.of("spring.r2dbc.url", "spring.r2dbc.username", "spring.r2dbc.password", "spring.flyway.url",
                "spring.flyway.user", "spring.flyway.password", "spring.data.redis.host", "spring.data.redis.port",
                "surge.redis.key-prefix", "surge.messaging.bootstrap-servers", "surge.messaging.namespace",
                "spring.security.oauth2.resourceserver.jwt.issuer-uri", "spring.security.oauth2.resourceserver.jwt.jwk-set-uri",
                "surge.live.heartbeat", "surge.live.order-wait", "surge.mail.relay.enabled")) {
            String value = environment.getProperty(key);
            if (value != null) {
                properties.put(key, value);
            }
            else if (key.endsWith("password")) {
                properties.put(key, "");
            }
        }
        properties.put("server.port", "0");
        // as command-line arguments: they come before application.yml, as the test's own properties do
        String[] arguments = properties.entrySet().stream()
                .map(property -> "--" + property.getKey() + "=" + property.getValue())
                .toArray(String[]::new);
        return new SpringApplicationBuilder(NotifyApplication.class).run(arguments);
    }

    /** Checks on a snapshot event. */
    static final class ServerSentEventAssert {
        static void snapshot(org.springframework.http.codec.ServerSentEvent<String> event, LiveStreamFixtures fixtures,
                UUID order, String status) {
            assertThat(event.event()).isEqualTo("snapshot");
            assertThat(event.id()).isNotNull();
            JsonNode orders = fixtures.parse(event.data()).path("orders");
            assertThat(orders.size()).isEqualTo(1);
            assertThat(orders.get(0).path("orderId").asString()).isEqualTo(order.toString());
            assertThat(orders.get(0).path("status").asString()).isEqualTo(status);
        }
    }
}
