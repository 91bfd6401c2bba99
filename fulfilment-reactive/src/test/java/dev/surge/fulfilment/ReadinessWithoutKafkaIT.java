package dev.surge.fulfilment;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.surge.testsupport.IntegrationTest;

/**
 * Kafka away is a delay, not an outage: payment requests wait on the topic and outcomes in the
 * outbox, so with no broker where it points the service stays ready and says it is degraded.
 */
@IntegrationTest(kafka = false)
class ReadinessWithoutKafkaIT {

    @Autowired
    WebTestClient http;

    @Test
    void staysReadyAndDegradedWhileKafkaIsUnreachable() {
        http.get().uri("/actuator/health/readiness")
                .exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.status").isEqualTo("DEGRADED")
                .jsonPath("$.components.kafka.status").isEqualTo("DEGRADED")
                .jsonPath("$.components.r2dbc.status").isEqualTo("UP");
        String metrics = http.get().uri("/actuator/prometheus")
                .exchange()
                .expectStatus().isOk()
                .expectBody(String.class)
                .returnResult()
                .getResponseBody();
        assertThat(metrics).containsPattern("surge_dependency_available\\{[^}]*dependency=\"kafka\"[^}]*} 0\\.0");
    }

    @Test
    void staysAliveWhileKafkaIsUnreachable() {
        http.get().uri("/actuator/health/liveness")
                .exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.status").isEqualTo("UP");
    }
}
