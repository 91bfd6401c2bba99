package dev.surge.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.surge.events.Topics;
import dev.surge.testsupport.IntegrationTest;
import reactor.test.StepVerifier;

/**
 * The {@code outbox} actuator endpoint as ops call it, over HTTP, in an application wired by the
 * auto-configuration. This application has no Spring Security, like fulfilment and notify today, so
 * no role is asked; the ops-role check of services with Spring Security is in {@link OutboxParkingIT}.
 */
@IntegrationTest(identityProvider = false)
@TestPropertySource(properties = {
        "spring.flyway.locations=classpath:db/messaging",
        "management.endpoints.web.exposure.include=health,outbox",
        // rows stay as the test leaves them
        "surge.messaging.relay.enabled=false" })
class OutboxEndpointIT {

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class Application {
    }

    @Autowired
    WebTestClient web;

    @Autowired
    DatabaseClient database;

    @BeforeEach
    void emptyOutbox() {
        StepVerifier.create(database.sql("DELETE FROM outbox").then()
                        .then(database.sql("DELETE FROM outbox_discarded").then()))
                .verifyComplete();
    }

    @Test
    void opsListTheParkedRowsAndReDriveOne() {
        long parked = row("order-1", true);
        row("order-1", false);
        row("order-2", false);

        web.get().uri("/actuator/outbox")
                .exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.backlog.pending").isEqualTo(2)
                .jsonPath("$.backlog.held").isEqualTo(1)
                .jsonPath("$.backlog.parked").isEqualTo(1)
                .jsonPath("$.parked[0].id").isEqualTo(parked)
                .jsonPath("$.parked[0].topic").isEqualTo(Topics.ORDERS)
                .jsonPath("$.parked[0].aggregateId").isEqualTo("order-1")
                .jsonPath("$.parked[0].eventType").isEqualTo("OrderStatusChanged")
                .jsonPath("$.parked[0].reason").isEqualTo("RecordTooLargeException: too large")
                .jsonPath("$.parked[0].parkedAt").exists();

        web.post().uri("/actuator/outbox/{id}", parked)
                .contentType(MediaType.APPLICATION_JSON)
                .exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.rows").isEqualTo(1);
        assertThat(parkedIds()).isEmpty();

        web.post().uri("/actuator/outbox/{id}", parked)
                .contentType(MediaType.APPLICATION_JSON)
                .exchange()
                .expectStatus().isNotFound()
                .expectBody()
                .jsonPath("$.type").isEqualTo("https://surge.dev/problems/outbox-row-not-parked")
                .jsonPath("$.status").isEqualTo(404);
    }

    @Test
    void opsReDriveEveryParkedRowOrDiscardOne() {
        long first = row("order-3", true);
        long second = row("order-4", true);

        web.delete().uri("/actuator/outbox/{id}", first)
                .exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.id").isEqualTo(first);
        web.post().uri("/actuator/outbox/all")
                .contentType(MediaType.APPLICATION_JSON)
                .exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.rows").isEqualTo(1);
        assertThat(parkedIds()).isEmpty();
        StepVerifier.create(database.sql("SELECT id FROM outbox_discarded").map(row -> row.get("id", Long.class)).all())
                .expectNext(first)
                .verifyComplete();
        StepVerifier.create(database.sql("SELECT id FROM outbox").map(row -> row.get("id", Long.class)).all())
                .expectNext(second)
                .verifyComplete();

        web.delete().uri("/actuator/outbox/everything")
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.type").isEqualTo("https://surge.dev/problems/invalid-request");
    }

    private long row(String aggregate, boolean parked) {
        return database.sql("""
                        INSERT INTO outbox (event_id, topic, aggregate_id, event_type, schema_version, envelope,
                                            attempts, last_error, parked_at)
                        VALUES (:eventId, :topic, :aggregate, 'OrderStatusChanged', 1, '{}'::jsonb,
                                :attempts, :reason, CASE WHEN :parked THEN now() END)
                        RETURNING id""")
                .bind("eventId", UUID.randomUUID())
                .bind("topic", Topics.ORDERS)
                .bind("aggregate", aggregate)
                .bind("attempts", parked ? 1 : 0)
                .bind("reason", "RecordTooLargeException: too large")
                .bind("parked", parked)
                .map(result -> result.get("id", Long.class))
                .one()
                .block();
    }

    private List<Long> parkedIds() {
        return database.sql("SELECT id FROM outbox WHERE parked_at IS NOT NULL")
                .map(result -> result.get("id", Long.class))
                .all()
                .collectList()
                .block();
    }
}
