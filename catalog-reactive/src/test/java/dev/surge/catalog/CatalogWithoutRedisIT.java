package dev.surge.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.surge.testsupport.IntegrationTest;
import dev.surge.testsupport.TcpProxy;

/** Redis goes away and comes back while the catalog serves: answers keep coming from PostgreSQL. */
@IntegrationTest(redisThroughProxy = true)
class CatalogWithoutRedisIT extends CatalogFixtures {

    @Autowired
    TcpProxy redis;

    @Test
    void keepsAnsweringWhileRedisIsDownAndSaysItIsDegraded() {
        http.get().uri("/api/products/P-SONY").exchange().expectStatus().isOk();
        redis.cut();
        try {
            http.get().uri("/api/products/P-SONY").exchange().expectStatus().isOk()
                    .expectBody().jsonPath("$.name").isEqualTo("Sony WH-1000XM5 Wireless Bluetooth Headphones Black");
            http.get().uri("/api/products/P-IPH15").exchange().expectStatus().isOk();
            http.get().uri("/api/products?category=electronics").exchange().expectStatus().isOk()
                    .expectBody().jsonPath("$.total").isEqualTo(6);
            http.get().uri("/api/products/search?q=iphone").exchange().expectStatus().isOk();

            http.get().uri("/actuator/health/readiness").exchange()
                    .expectStatus().isOk()
                    .expectBody()
                    .jsonPath("$.status").isEqualTo("DEGRADED")
                    .jsonPath("$.components.redis.status").isEqualTo("DEGRADED")
                    .jsonPath("$.components.r2dbc.status").isEqualTo("UP");
            assertThat(redisAvailable()).isEqualTo("0.0");
        }
        finally {
            redis.restore();
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> http.get().uri("/actuator/health/readiness")
                .exchange()
                .expectBody()
                .jsonPath("$.status").isEqualTo("UP"));
        assertThat(redisAvailable()).isEqualTo("1.0");
        http.get().uri("/api/products/P-SONY").exchange().expectStatus().isOk();
    }

    /** The gauge's value as Prometheus scrapes it. */
    private String redisAvailable() {
        String metrics = http.get().uri("/actuator/prometheus").exchange()
                .expectStatus().isOk()
                .expectBody(String.class)
                .returnResult()
                .getResponseBody();
        Matcher gauge = Pattern.compile("surge_dependency_available\\{[^}]*dependency=\"redis\"[^}]*} (\\S+)")
                .matcher(metrics);
        assertThat(gauge.find()).as("surge_dependency_available{dependency=redis} in %s", metrics).isTrue();
        return gauge.group(1);
    }
}
