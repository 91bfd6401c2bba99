package dev.surge.gateway.resilience;

import static org.awaitility.Awaitility.await;

import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.surge.gateway.FakeCatalog;
import dev.surge.testsupport.Infrastructure;
import dev.surge.testsupport.IntegrationTest;
import dev.surge.testsupport.TcpProxy;

/**
 * Redis goes away under the gateway: it stays ready (its Redis component DEGRADED, HTTP 200, and a
 * gauge at 0) and browsing goes on; when Redis is back the component is UP again.
 */
@IntegrationTest(database = false, kafka = false, redisThroughProxy = true)
class RedisOutageHealthIT {

    private static final FakeCatalog CATALOG = FakeCatalog.start();

    @Autowired
    WebTestClient http;

    @Autowired
    TcpProxy redis;

    @DynamicPropertySource
    static void upstreams(DynamicPropertyRegistry registry) {
        registry.add("surge.services.catalog", CATALOG::url);
    }

    @AfterAll
    static void stop() {
        CATALOG.close();
    }

    @Test
    void staysReadyWithRedisDegradedWhileRedisIsAway() {
        readiness("UP", "UP");

        redis.cut();
        try {
            readiness("DEGRADED", "DEGRADED");
            http.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
            http.get().uri("/api/products/SKU-1").exchange().expectStatus().isOk();
            http.get().uri("/actuator/prometheus")
                    .header(HttpHeaders.AUTHORIZATION, "Bearer " + Infrastructure.identityProvider().opsToken("olga"))
                    .exchange()
                    .expectStatus().isOk()
                    .expectBody(String.class)
                    .value(metrics -> org.assertj.core.api.Assertions.assertThat(metrics)
                            .containsPattern("surge_dependency_available\\{[^}]*dependency=\"redis\"[^}]*} 0.0"));
        }
        finally {
            redis.restore();
        }

        await().atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> readiness("UP", "UP"));
    }

    private void readiness(String status, String redisStatus) {
        http.get().uri("/actuator/health/readiness")
                .exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.status").isEqualTo(status)
                .jsonPath("$.components.redis.status").isEqualTo(redisStatus);
    }
}
