package dev.surge.order;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.surge.testsupport.IntegrationTest;
import reactor.test.StepVerifier;

@IntegrationTest
class CartOrderServiceIT {

    @Autowired
    WebTestClient http;

    @Autowired
    DatabaseClient database;

    @Test
    void isReadyOnlyWithItsRealDependenciesUp() {
        http.get().uri("/actuator/health/readiness")
                .exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.status").isEqualTo("UP")
                .jsonPath("$.components.r2dbc.status").isEqualTo("UP")
                .jsonPath("$.components.redis.status").isEqualTo("UP")
                .jsonPath("$.components.kafka.status").isEqualTo("UP");
    }

    @Test
    void livenessDoesNotDependOnInfrastructure() {
        http.get().uri("/actuator/health/liveness")
                .exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.status").isEqualTo("UP")
                .jsonPath("$.components.livenessState.status").isEqualTo("UP")
                .jsonPath("$.components.r2dbc").doesNotExist()
                .jsonPath("$.components.kafka").doesNotExist();
    }

    @Test
    void servesPrometheusMetrics() {
        String body = http.get().uri("/actuator/prometheus")
                .exchange()
                .expectStatus().isOk()
                .expectBody(String.class)
                .returnResult()
                .getResponseBody();
        assertThat(body).contains("jvm_memory_used_bytes").contains("application=\"cart-order\"");
    }

    @Test
    void migratedItsOwnDatabase() {
        StepVerifier.create(database.sql("SELECT count(*) AS n FROM stock")
                        .map(row -> row.get("n", Long.class))
                        .one())
                .expectNext(0L)
                .verifyComplete();
        StepVerifier.create(database.sql("SELECT count(*) AS n FROM outbox")
                        .map(row -> row.get("n", Long.class))
                        .one())
                .expectNext(0L)
                .verifyComplete();
    }

    @Test
    void unknownPathIsAProblemDocument() {
        http.get().uri("/api/nothing-here")
                .exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.status").isEqualTo(404)
                .jsonPath("$.title").isNotEmpty();
    }
}
