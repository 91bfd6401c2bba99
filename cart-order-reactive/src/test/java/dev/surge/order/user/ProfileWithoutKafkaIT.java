package dev.surge.order.user;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;

import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.contributor.Health;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.surge.messaging.KafkaHealthIndicator;
import dev.surge.testsupport.Infrastructure;
import dev.surge.testsupport.IntegrationTest;
import dev.surge.testsupport.TcpProxy;
import reactor.test.StepVerifier;

/**
 * Kafka unreachable from the start: the instance is ready (DEGRADED) and profiles work. And the
 * Kafka check itself goes from DEGRADED to UP once a broker answers where it points.
 */
@IntegrationTest(kafka = false)
class ProfileWithoutKafkaIT {

    @Autowired
    WebTestClient http;

    @Test
    void readyAndServingWhileKafkaIsUnreachable() {
        http.get().uri("/actuator/health/readiness").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.status").isEqualTo("DEGRADED")
                .jsonPath("$.components.kafka.status").isEqualTo("DEGRADED")
                .jsonPath("$.components.r2dbc.status").isEqualTo("UP")
                .jsonPath("$.components.redis.status").isEqualTo("UP");
        String token = Infrastructure.identityProvider().shopperToken("kofi");
        http.put().uri("/api/users/me").header(HttpHeaders.AUTHORIZATION, "Bearer " + token).exchange()
                .expectStatus().isCreated();
        http.get().uri("/api/users/me").header(HttpHeaders.AUTHORIZATION, "Bearer " + token).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.userId").isEqualTo("kofi");
        String metrics = http.get().uri("/actuator/prometheus").exchange()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(metrics).containsPattern("surge_dependency_available\\{[^}]*dependency=\"kafka\"[^}]*} 0\\.0");
    }

    @Test
    void theKafkaCheckIsDegradedWhileNoBrokerAnswersAndUpWhenOneDoes() {
        String broker = Infrastructure.kafka().bootstrapServers().split(",")[0];
        // nothing listens where the client bootstraps until the proxy is restored: a client that got
        // the broker's metadata once would talk to the broker directly
        TcpProxy proxy = TcpProxy.listen();
        proxy.cut();
        proxy.forwardTo(broker.substring(0, broker.lastIndexOf(':')),
                Integer.parseInt(broker.substring(broker.lastIndexOf(':') + 1)));
        try (proxy; AdminClient admin = AdminClient.create(Map.of(
                        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + proxy.port(),
                        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 1000,
                        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 1000))) {
            KafkaHealthIndicator kafka = new KafkaHealthIndicator(admin, Duration.ofSeconds(1));

            StepVerifier.create(kafka.health())
                    .assertNext(health -> assertThat(health.getStatus().getCode()).isEqualTo("DEGRADED"))
                    .verifyComplete();

            proxy.restore();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                Health health = kafka.health().block(Duration.ofSeconds(5));
                assertThat(health.getStatus().getCode()).isEqualTo("UP");
            });
        }
    }
}
