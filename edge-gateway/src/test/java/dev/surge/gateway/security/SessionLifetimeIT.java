package dev.surge.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.surge.testsupport.Browser;
import dev.surge.testsupport.IntegrationTest;

/**
 * A signed-in shopper who keeps using the shop is still signed out when the session's absolute
 * lifetime is up (a short one here, 2 s, so the test does not wait 12 hours).
 */
@IntegrationTest(database = false, kafka = false)
class SessionLifetimeIT {

    private static final EchoService SERVICES = new EchoService();

    @Value("${local.server.port}")
    int port;

    @Value("${surge.redis.key-prefix}")
    String redisPrefix;

    @Autowired
    ReactiveStringRedisTemplate redis;

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        registry.add("surge.services.cart-order", SERVICES::url);
        registry.add("surge.gateway.session.absolute-timeout", () -> "2s");
    }

    @AfterAll
    static void stop() {
        SERVICES.close();
    }

    @Test
    void anActiveSessionEndsAtItsAbsoluteLifetime() {
        Browser browser = new Browser();
        assertThat(browser.signIn(gateway(), "judy", "{}").statusCode()).isEqualTo(302);
        String session = browser.cookie(gateway(), "SURGE_SESSION");

        // used every 200 ms, so never idle: only the absolute lifetime can end it
        await().atMost(Duration.ofSeconds(6))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> browser.get(gateway() + "/api/users/me").statusCode() == 401);

        HttpResponse<String> after = browser.get(gateway() + "/api/users/me");
        assertThat(after.statusCode()).isEqualTo(401);
        assertThat(after.body()).contains("https://surge.dev/problems/unauthorized");
        assertThat(browser.get(gateway() + "/api/session").body()).contains("\"authenticated\":false");
        assertThat(redis.hasKey(redisPrefix + "session:sessions:" + session).block(Duration.ofSeconds(5)))
                .as("deleted from Redis").isFalse();
    }

    private String gateway() {
        return "http://127.0.0.1:" + port;
    }
}
