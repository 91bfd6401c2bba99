package dev.surge.order.user;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.surge.testsupport.Infrastructure;
import dev.surge.testsupport.IntegrationTest;
import dev.surge.testsupport.TcpProxy;

/** Redis goes away while shoppers use their profiles: they keep working, and the instance stays ready. */
@IntegrationTest(redisThroughProxy = true)
class ProfileWithoutRedisIT {

    @Autowired
    WebTestClient http;

    @Autowired
    TcpProxy redis;

    @Test
    void profilesKeepWorkingAndReadinessSaysDegradedUntilRedisIsBack() {
        String token = Infrastructure.identityProvider().shopperToken("jade");
        http.put().uri("/api/users/me").header(HttpHeaders.AUTHORIZATION, "Bearer " + token).exchange()
                .expectStatus().isCreated();
        redis.cut();
        try {
            http.get().uri("/api/users/me").header(HttpHeaders.AUTHORIZATION, "Bearer " + token).exchange()
                    .expectStatus().isOk()
                    .expectBody().jsonPath("$.userId").isEqualTo("jade");
            http.patch().uri("/api/users/me").header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                    .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"name\": \"Jade W.\"}").exchange()
                    .expectStatus().isOk();
            http.get().uri("/api/users/me").header(HttpHeaders.AUTHORIZATION, "Bearer " + token).exchange()
                    .expectStatus().isOk()
                    .expectBody().jsonPath("$.name").isEqualTo("Jade W.");

            http.get().uri("/actuator/health/readiness").exchange()
                    .expectStatus().isOk()
                    .expectBody()
                    .jsonPath("$.status").isEqualTo("DEGRADED")
                    .jsonPath("$.components.redis.status").isEqualTo("DEGRADED")
                    .jsonPath("$.components.r2dbc.status").isEqualTo("UP");
            assertThat(available("redis")).isEqualTo("0.0");
        }
        finally {
            redis.restore();
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> http.get().uri("/actuator/health/readiness")
                .exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.components.redis.status").isEqualTo("UP"));
        assertThat(available("redis")).isEqualTo("1.0");
        // served again (the eviction of the change made while Redis was away could not reach it: the
        // copy cached before the outage lives out its TTL)
        http.get().uri("/api/users/me").header(HttpHeaders.AUTHORIZATION, "Bearer " + token).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.userId").isEqualTo("jade");
    }

    private String available(String dependency) {
        String metrics = http.get().uri("/actuator/prometheus").exchange()
                .expectStatus().isOk()
                .expectBody(String.class)
                .returnResult()
                .getResponseBody();
        Matcher gauge = Pattern.compile("surge_dependency_available\\{[^}]*dependency=\"" + dependency + "\"[^}]*} (\\S+)")
                .matcher(metrics);
        assertThat(gauge.find()).as("the %s gauge in %s", dependency, metrics).isTrue();
        return gauge.group(1);
    }
}
