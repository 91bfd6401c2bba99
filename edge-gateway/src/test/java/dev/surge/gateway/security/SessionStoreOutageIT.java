package dev.surge.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.surge.testsupport.Browser;
import dev.surge.testsupport.IntegrationTest;
import dev.surge.testsupport.TcpProxy;

/**
 * Redis, where sessions live, goes away under a signed-in shopper: their calls get a clear 503
 * problem (not a 500, not "signed out"), browsing the catalog goes on, and when Redis is back the
 * same session works again.
 */
@IntegrationTest(database = false, kafka = false, redisThroughProxy = true)
class SessionStoreOutageIT {

    private static final EchoService SERVICES = new EchoService();

    @Value("${local.server.port}")
    int port;

    @Autowired
    TcpProxy redis;

    @DynamicPropertySource
    static void upstreams(DynamicPropertyRegistry registry) {
        registry.add("surge.services.catalog", SERVICES::url);
        registry.add("surge.services.cart-order", SERVICES::url);
    }

    @AfterAll
    static void stop() {
        SERVICES.close();
    }

    @Test
    void aSignedInShopperGetsA503WhileRedisIsAwayAndTheirSessionBack() {
        Browser browser = new Browser();
        assertThat(browser.signIn(gateway(), "frank", "{}").statusCode()).isEqualTo(302);
        assertThat(browser.get(gateway() + "/api/users/me").statusCode()).isEqualTo(200);

        redis.cut();
        try {
            HttpResponse<String> away = browser.get(gateway() + "/api/users/me");
            assertThat(away.statusCode()).isEqualTo(503);
            assertThat(away.body()).contains("https://surge.dev/problems/service-unavailable");
            assertThat(away.headers().firstValue("Retry-After")).isPresent();
            assertThat(browser.get(gateway() + "/api/products/SKU-1").statusCode())
                    .as("browsing never touches the session").isEqualTo(200);
        }
        finally {
            redis.restore();
        }
        // Lettuce reconnects on its own schedule: wait for it, asking again every 100 ms
        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> assertThat(browser.get(gateway() + "/api/users/me").statusCode())
                        .as("the same session, once Redis is back").isEqualTo(200));
    }

    private String gateway() {
        return "http://127.0.0.1:" + port;
    }
}
