package dev.surge.fulfilment;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.surge.testsupport.IntegrationTest;

/** The readiness check really depends on Kafka: with no broker where it points, the service is not ready. */
@IntegrationTest(kafka = false)
class ReadinessWithoutKafkaIT {

    @Autowired
    WebTestClient http;

    @Test
    void isNotReadyWhileKafkaIsUnreachable() {
        http.get().uri("/actuator/health/readiness")
                .exchange()
                .expectStatus().isEqualTo(503)
                .expectBody()
                .jsonPath("$.status").isEqualTo("DOWN")
                .jsonPath("$.components.kafka.status").isEqualTo("DOWN")
                .jsonPath("$.components.r2dbc.status").isEqualTo("UP");
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
