package dev.surge.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.security.Principal;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.endpoint.SecurityContext;

import dev.surge.events.EventEnvelope;
import dev.surge.events.Topics;
import dev.surge.events.order.OrderStatusChanged;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** Ops re-drive parked letters once the cause is fixed: each goes back once and has its effect once. */
class DeadLetterRedriveIT {

    private static MessagingFixture fixture;
    private static DeadLetters deadLetters;

    @BeforeAll
    static void start() {
        fixture = new MessagingFixture(DeadLetterRedriveIT.class);
        deadLetters = new DeadLetters(fixture.topics.admin(), fixture.namespace, fixture.publisher, fixture.properties);
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    @Test
    void parkedLettersAreCountedThenRedrivenOnceToTheirTopicWithoutDeadLetterHeaders() {
        List<EventEnvelope<OrderStatusChanged>> events = IntStream.range(0, 3)
                .mapToObj(i -> EventRoundTripIT.statusChange(UUID.randomUUID(), 1))
                .toList();
        AtomicBoolean broken = new AtomicBoolean(true);
        Disposable consumer = fixture.receiver.run(MessagingFixture.consumer("redriven", Topics.ORDERS, event -> {
            return broken.get()
                    ? Mono.error(new IllegalStateException("downstream is broken"))
                    : fixture.inbox.handleOnce("redriven", event.eventId(), () -> insertEffect(event.eventId())).then();
        })).subscribe();
        try {
            StepVerifier.create(Flux.fromIterable(events).concatMap(fixture.publisher::publish).then()).verifyComplete();
            await().atMost(Duration.ofSeconds(30)).until(() -> waitingIn(Topics.ORDERS) == 3);
            assertThat(waitingIn(Topics.PAYMENTS)).isZero();

            // the cause is fixed; ops re-drive the topic
            broken.set(false);
            StepVerifier.create(deadLetters.redrive(Topics.ORDERS)).expectNext(3L).verifyComplete();

            await().atMost(Duration.ofSeconds(30)).until(() -> events.stream().allMatch(event -> effectsOf(event.eventId()) == 1));
            await().atMost(Duration.ofSeconds(10)).until(() -> waitingIn(Topics.ORDERS) == 0);
            // nothing waits any more, so a second re-drive republishes nothing
            StepVerifier.create(deadLetters.redrive(Topics.ORDERS)).expectNext(0L).verifyComplete();

            for (EventEnvelope<OrderStatusChanged> event : events) {
                List<ConsumerRecord<String, byte[]>> copies = fixture.readAll(Topics.ORDERS,
                        record -> record.key().equals(event.aggregateId()), 2, Duration.ofSeconds(10));
                // the original and exactly one re-driven copy, the copy as clean as the original
                assertThat(copies).hasSize(2);
                assertThat(copies.get(1).headers().lastHeader(KafkaEventReceiver.DLT_REASON_HEADER)).isNull();
                assertThat(copies.get(1).headers().lastHeader(KafkaEventReceiver.DLT_ORIGIN_HEADER)).isNull();
                assertThat(fixture.codec.decode("OrderStatusChanged", 1, copies.get(1).value())).isEqualTo(event);
                assertThat(effectsOf(event.eventId())).isEqualTo(1);
            }
        }
        finally {
            consumer.dispose();
        }
    }

    @Test
    void aRedriveNeedsTheOpsRoleWhereTheServiceChecksRoles() {
        DeadLettersEndpoint endpoint = new DeadLettersEndpoint(deadLetters, true);
        StepVerifier.create(endpoint.redrive(caller(false), Topics.ORDERS))
                .assertNext(response -> {
                    assertThat(response.getStatus()).isEqualTo(403);
                    assertThat(response.getBody()).asInstanceOf(InstanceOfAssertFactories.MAP)
                            .containsEntry("type", "https://surge.dev/problems/forbidden");
                })
                .verifyComplete();
        StepVerifier.create(endpoint.redrive(caller(true), "shop.nothing.v1"))
                .assertNext(response -> assertThat(response.getStatus()).isEqualTo(400))
                .verifyComplete();
    }

    @Test
    void theEndpointRefusesATopicThatIsNotAnEventTopicWithAProblem() {
        DeadLettersEndpoint endpoint = new DeadLettersEndpoint(deadLetters, false);
        StepVerifier.create(endpoint.redrive(SecurityContext.NONE, "shop.nothing.v1"))
                .assertNext(response -> {
                    assertThat(response.getStatus()).isEqualTo(400);
                    assertThat(response.getBody()).asInstanceOf(InstanceOfAssertFactories.MAP)
                            .containsEntry("type", "https://surge.dev/problems/invalid-request")
                            .containsEntry("status", 400);
                })
                .verifyComplete();
        StepVerifier.create(endpoint.waiting())
                .assertNext(report -> assertThat(report.topics())
                        .extracting(DeadLetters.Waiting::topic)
                        .containsExactlyElementsOf(Topics.all()))
                .verifyComplete();
    }

    private static SecurityContext caller(boolean ops) {
        return new SecurityContext() {
            @Override
            public Principal getPrincipal() {
                return () -> "olga";
            }

            @Override
            public boolean isUserInRole(String role) {
                return ops && role.equals("ops");
            }
        };
    }

    private static long waitingIn(String topic) {
        return deadLetters.waiting()
                .map(all -> all.stream()
                        .filter(waiting -> waiting.topic().equals(topic))
                        .mapToLong(DeadLetters.Waiting::waiting)
                        .sum())
                .block(Duration.ofSeconds(10));
    }

    private static Mono<Void> insertEffect(UUID eventId) {
        return fixture.database.sql("INSERT INTO effects (event_id, note) VALUES (:id, 'handled')")
                .bind("id", eventId)
                .then();
    }

    private static long effectsOf(UUID eventId) {
        return fixture.database.sql("SELECT count(*) AS n FROM effects WHERE event_id = :id")
                .bind("id", eventId)
                .map(row -> row.get("n", Long.class))
                .one()
                .blockOptional(Duration.ofSeconds(5))
                .orElseThrow();
    }
}
