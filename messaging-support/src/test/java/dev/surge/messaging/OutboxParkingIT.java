package dev.surge.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.security.Principal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

import dev.surge.events.EventEnvelope;
import dev.surge.events.Topics;
import dev.surge.events.order.OrderStatusChanged;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * Rows the broker refuses, over a real broker: the orders topic of this class takes at most 20 KB
 * per record batch, so an event with a 40 KB reason is refused ({@code RecordTooLargeException})
 * while ordinary events pass. The limit stays above the producer's 16 KB {@code batch.size}, as
 * the broker's 1 MB default does: below it the producer splits a refused batch into batches of
 * the same size again until the delivery timeout (KAFKA-8350), which the relay sees as a
 * retriable timeout.
 */
class OutboxParkingIT {

    private static final int SMALL_LIMIT = 20_000;
    private static final int LARGE_LIMIT = 1024 * 1024;

    private static final SecurityContext OPS = caller("olga", "ops");
    private static final SecurityContext SHOPPER = caller("alice", "shopper");

    private static MessagingFixture fixture;
    private static Admin admin;

    @BeforeAll
    static void start() {
        fixture = new MessagingFixture(OutboxParkingIT.class);
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, fixture.properties.bootstrapServers()));
        createOrdersTopic();
    }

    @AfterAll
    static void stop() {
        admin.close();
        fixture.close();
    }

    @BeforeEach
    void smallRecordsOnlyAndAnEmptyOutbox() {
        limitRecordSize(SMALL_LIMIT);
        StepVerifier.create(fixture.database.sql("DELETE FROM outbox").then()
                        .then(fixture.database.sql("DELETE FROM outbox_discarded").then()))
                .verifyComplete();
    }

    @Test
    void aRefusedRowIsParkedWhileOtherAggregatesFlowAndItsOwnLaterRowsWait() {
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        append(a, 1, false);
        append(b, 1, false);
        append(a, 2, true);
        append(b, 2, false);
        append(a, 3, false);
        append(b, 3, false);

        StepVerifier.create(fixture.relay(fixture.publisher).relayBatch())
                .as("a1 and b1..b3 published, a2 parked, a3 held")
                .expectNext(4)
                .verifyComplete();

        List<OutboxOperations.ParkedRow> parked = parked();
        assertThat(parked).singleElement().satisfies(row -> {
            assertThat(row.aggregateId()).isEqualTo(a.toString());
            assertThat(row.topic()).isEqualTo(Topics.ORDERS);
            assertThat(row.eventType()).isEqualTo("OrderStatusChanged");
            assertThat(row.reason()).startsWith("RecordTooLargeException");
            assertThat(row.attempts()).isEqualTo(1);
            assertThat(row.parkedAt()).isNotNull();
        });
        StepVerifier.create(fixture.relay(fixture.publisher).relayBatch())
                .as("a3 stays behind the parked a2")
                .expectNext(0)
                .verifyComplete();
        StepVerifier.create(fixture.outboxOperations.backlog())
                .expectNext(new OutboxOperations.Backlog(1, 1, 1))
                .verifyComplete();
        assertThat(unpublishedVersions(a)).containsExactly(2L, 3L);
        assertThat(firstOccurrences(versions(b, 3))).containsExactly(1L, 2L, 3L);

        // the gauges are read by the relay loop, never by the scrape
        Disposable loop = fixture.relay(fixture.publisher).run().subscribe();
        try {
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                assertThat(fixture.meters.get("surge.outbox.parked").gauge().value()).isEqualTo(1.0);
                assertThat(fixture.meters.get("surge.outbox.backlog").gauge().value()).isEqualTo(1.0);
            });
        }
        finally {
            loop.dispose();
        }
    }

    @Test
    void aReDrivenRowIsPublishedBeforeTheRowsThatWaitedBehindIt() {
        UUID c = UUID.randomUUID();
        append(c, 1, false);
        append(c, 2, true);
        append(c, 3, false);
        StepVerifier.create(fixture.relay(fixture.publisher).relayBatch()).expectNext(1).verifyComplete();
        long parkedId = parked().getFirst().id();

        // ops raise the topic's limit, then re-drive
        limitRecordSize(LARGE_LIMIT);
        StepVerifier.create(fixture.outboxOperations.redrive(parkedId)).expectNext(true).verifyComplete();
        StepVerifier.create(fixture.relay(fixture.publisher).relayBatch()).expectNext(2).verifyComplete();

        assertThat(unpublishedVersions(c)).isEmpty();
        List<Long> versions = versions(c, 3);
        assertThat(versions).as("the parked event once, followed only by the one that waited").containsOnlyOnce(2L);
        assertThat(versions.subList(versions.indexOf(2L), versions.size())).containsExactly(2L, 3L);
    }

    @Test
    void reDriveAllRetriesEveryParkedRow() {
        UUID d = UUID.randomUUID();
        UUID e = UUID.randomUUID();
        append(d, 1, true);
        append(e, 1, true);
        StepVerifier.create(fixture.relay(fixture.publisher).relayBatch()).expectNext(0).verifyComplete();
        assertThat(parked()).hasSize(2);

        limitRecordSize(LARGE_LIMIT);
        StepVerifier.create(fixture.outboxOperations.redriveAll()).expectNext(2L).verifyComplete();
        StepVerifier.create(fixture.relay(fixture.publisher).relayBatch()).expectNext(2).verifyComplete();
        assertThat(parked()).isEmpty();
        assertThat(versions(d, 1)).containsExactly(1L);
        assertThat(versions(e, 1)).containsExactly(1L);
    }

    @Test
    void aDiscardedRowReleasesTheRowsBehindItAndIsKeptAside() {
        UUID f = UUID.randomUUID();
        UUID refusedEvent = append(f, 1, true);
        append(f, 2, false);
        StepVerifier.create(fixture.relay(fixture.publisher).relayBatch()).expectNext(0).verifyComplete();
        long parkedId = parked().getFirst().id();
        OutboxEndpoint endpoint = new OutboxEndpoint(fixture.outboxOperations, true);

        StepVerifier.create(endpoint.outbox())
                .assertNext(report -> {
                    assertThat(report.backlog()).isEqualTo(new OutboxOperations.Backlog(1, 1, 1));
                    assertThat(report.parked()).extracting(OutboxOperations.ParkedRow::id).containsExactly(parkedId);
                })
                .verifyComplete();
        StepVerifier.create(endpoint.discard(SecurityContext.NONE, Long.toString(parkedId)))
                .as("without the ops role")
                .assertNext(response -> assertProblem(response, 403, "https://surge.dev/problems/forbidden"))
                .verifyComplete();
        StepVerifier.create(endpoint.redrive(SHOPPER, "all"))
                .assertNext(response -> assertProblem(response, 403, "https://surge.dev/problems/forbidden"))
                .verifyComplete();
        StepVerifier.create(endpoint.discard(OPS, "nine"))
                .assertNext(response -> assertProblem(response, 400, "https://surge.dev/problems/invalid-request"))
                .verifyComplete();
        StepVerifier.create(endpoint.discard(OPS, Long.toString(parkedId)))
                .assertNext(response -> assertThat(response.getStatus()).isEqualTo(200))
                .verifyComplete();
        StepVerifier.create(endpoint.discard(OPS, Long.toString(parkedId)))
                .as("only a parked row can be discarded, and only once")
                .assertNext(response -> assertProblem(response, 404, "https://surge.dev/problems/outbox-row-not-parked"))
                .verifyComplete();
        StepVerifier.create(endpoint.redrive(OPS, Long.toString(parkedId)))
                .assertNext(response -> assertProblem(response, 404, "https://surge.dev/problems/outbox-row-not-parked"))
                .verifyComplete();

        StepVerifier.create(fixture.relay(fixture.publisher).relayBatch()).expectNext(1).verifyComplete();
        // f2 may also have left with the first, failed batch: a duplicate, which the inbox drops
        assertThat(versions(f, 1)).as("the discarded event never reaches the topic").containsOnly(2L);
        StepVerifier.create(fixture.database.sql("SELECT event_id FROM outbox_discarded")
                        .map(row -> row.get("event_id", UUID.class))
                        .all()
                        .collectList())
                .expectNext(List.of(refusedEvent))
                .verifyComplete();
    }

    @Test
    void aRowThatKeepsFailingRetriablyWhileOthersPublishIsParkedAfterMaxAttempts() {
        UUID stuck = UUID.randomUUID();
        // as a partition without a leader would: every send that carries the stuck aggregate times out
        EventPublisher stuckAggregate = new ForwardingPublisher(fixture.publisher) {
            @Override
            public Mono<Void> send(List<OutgoingMessage> messages) {
                return messages.stream().anyMatch(message -> message.key().equals(stuck.toString()))
                        ? Mono.error(new TimeoutException("Expiring 1 record(s) for orders-0"))
                        : super.send(messages);
            }
        };
        MessagingProperties.Relay threeAttempts = new MessagingProperties.Relay(true, Duration.ofMillis(50), Duration.ofMillis(5), 50,
                Duration.ofDays(1), 3, Duration.ofSeconds(60));
        OutboxRelay relay = fixture.relay(stuckAggregate, threeAttempts);
        append(stuck, 1, false);

        StepVerifier.create(relay.relayBatch())
                .as("alone in its batch it looks like an outage: an error, and no attempt counted")
                .expectError(TimeoutException.class)
                .verify(Duration.ofSeconds(20));
        assertThat(attempts(stuck)).isZero();

        for (int pass = 1; pass <= 3; pass++) {
            append(UUID.randomUUID(), 1, false);
            StepVerifier.create(relay.relayBatch()).expectNext(1).verifyComplete();
            assertThat(attempts(stuck)).isEqualTo(pass);
            assertThat(parked()).as("after pass %d", pass).hasSize(pass < 3 ? 0 : 1);
        }
        assertThat(parked().getFirst().reason()).startsWith("TimeoutException: Expiring 1 record(s)");
    }

    @Test
    void aRowForATopicTheBrokerDoesNotHaveIsParkedAfterMaxAttemptsWhileOthersPublish() {
        UUID lost = UUID.randomUUID();
        append(lost, 1, false);
        // as if written by a newer version of the service whose topic was never created here
        StepVerifier.create(fixture.database.sql("UPDATE outbox SET topic = 'shop.nowhere.v1' WHERE aggregate_id = :id")
                        .bind("id", lost.toString())
                        .then())
                .verifyComplete();
        MessagingProperties.Relay twoAttempts = new MessagingProperties.Relay(true, Duration.ofMillis(50), Duration.ofMillis(5), 50,
                Duration.ofDays(1), 2, Duration.ofSeconds(60));
        OutboxRelay relay = fixture.relay(fixture.publisher, twoAttempts);

        for (int pass = 1; pass <= 2; pass++) {
            UUID other = UUID.randomUUID();
            append(other, 1, false);
            StepVerifier.create(relay.relayBatch()).expectNext(1).verifyComplete();
            assertThat(versions(other, 1)).containsExactly(1L);
            assertThat(attempts(lost)).isEqualTo(pass);
        }
        // the producer waits for the topic's metadata, then gives up: a timeout (caused by an unknown
        // topic), retriable, so parked only after max-attempts; the reason names the innermost cause
        assertThat(parked()).singleElement().satisfies(row -> {
            assertThat(row.topic()).isEqualTo("shop.nowhere.v1");
            assertThat(row.reason()).startsWith("UnknownTopicOrPartitionException");
        });
    }

    private static SecurityContext caller(String name, String role) {
        return new SecurityContext() {
            @Override
            public Principal getPrincipal() {
                return () -> name;
            }

            @Override
            public boolean isUserInRole(String asked) {
                return role.equals(asked);
            }
        };
    }

    private static UUID append(UUID orderId, long version, boolean tooLarge) {
        EventEnvelope<OrderStatusChanged> event = EventEnvelope.of(orderId.toString(), version,
                new OrderStatusChanged(orderId, "alice", "PENDING_PAYMENT", "CONFIRMED",
                        tooLarge ? "x".repeat(40_000) : "payment accepted"));
        StepVerifier.create(fixture.transactions.transactional(fixture.outbox.append(event))).verifyComplete();
        return event.eventId();
    }

    private static List<OutboxOperations.ParkedRow> parked() {
        return fixture.outboxOperations.parked(100).collectList().block(Duration.ofSeconds(5));
    }

    private static long attempts(UUID orderId) {
        return fixture.database.sql("SELECT attempts FROM outbox WHERE aggregate_id = :id")
                .bind("id", orderId.toString())
                .map(row -> row.get("attempts", Integer.class))
                .one()
                .blockOptional(Duration.ofSeconds(5))
                .orElseThrow();
    }

    private static List<Long> unpublishedVersions(UUID orderId) {
        return fixture.database.sql("""
                        SELECT (envelope ->> 'aggregateVersion')::bigint AS version FROM outbox
                        WHERE aggregate_id = :id AND published_at IS NULL ORDER BY id""")
                .bind("id", orderId.toString())
                .map(row -> row.get("version", Long.class))
                .all()
                .collectList()
                .block(Duration.ofSeconds(5));
    }

    /** The versions of one order's records on the topic, in topic order (duplicates included). */
    private static List<Long> versions(UUID orderId, int expected) {
        List<ConsumerRecord<String, byte[]>> records = fixture.readAll(Topics.ORDERS,
                record -> record.key().equals(orderId.toString()), expected, Duration.ofSeconds(20));
        return records.stream()
                .map(record -> fixture.codec.decode("OrderStatusChanged", 1, record.value()).aggregateVersion())
                .toList();
    }

    private static List<Long> firstOccurrences(List<Long> versions) {
        return versions.stream().distinct().toList();
    }

    @SuppressWarnings("unchecked")
    private static void assertProblem(WebEndpointResponse<Object> response, int status, String type) {
        assertThat(response.getStatus()).isEqualTo(status);
        assertThat((Map<String, Object>) response.getBody()).containsEntry("type", type).containsEntry("status", status);
    }

    /** The topic whose limit the tests change; whoever creates it first, it exists afterwards. */
    private static void createOrdersTopic() {
        String topic = fixture.namespace.topic(Topics.ORDERS);
        try {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get(10, TimeUnit.SECONDS);
        }
        catch (ExecutionException failure) {
            if (!(failure.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("could not create " + topic, failure);
            }
        }
        catch (InterruptedException | java.util.concurrent.TimeoutException failure) {
            throw new IllegalStateException("could not create " + topic, failure);
        }
    }

    /** Sets the topic's record limit and waits until the broker applies it. */
    private static void limitRecordSize(int bytes) {
        ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, fixture.namespace.topic(Topics.ORDERS));
        try {
            admin.incrementalAlterConfigs(Map.of(topic, List.of(new AlterConfigOp(
                            new ConfigEntry("max.message.bytes", Integer.toString(bytes)), AlterConfigOp.OpType.SET))))
                    .all()
                    .get(10, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(10)).until(() -> admin.describeConfigs(List.of(topic)).all()
                    .get(5, TimeUnit.SECONDS).get(topic).get("max.message.bytes").value().equals(Integer.toString(bytes)));
        }
        catch (InterruptedException | ExecutionException | java.util.concurrent.TimeoutException failure) {
            throw new IllegalStateException("could not set max.message.bytes of " + topic.name(), failure);
        }
    }
}
