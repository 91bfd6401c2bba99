package dev.surge.order.flashsale;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

import org.junit.jupiter.api.Test;

class AdmissionTokensTests {

    private static final Instant NOW = Instant.parse("2026-12-24T18:00:00Z");
    private static final FlashSaleProperties.WaitingRoom ROOM = new FlashSaleProperties.WaitingRoom(true, Duration.ofMillis(100),
            Duration.ofMinutes(2), Duration.ofSeconds(15), "a-secret-of-at-least-thirty-two-characters", Duration.ofMillis(250), 64, 8_000, Duration.ofSeconds(1));

    private final AdmissionTokens tokens = tokens(ROOM.secret());

    @Test
    void aTokenAdmitsItsShopperToItsSkuUntilItLapses() {
        String token = tokens.issue("SKU-1", "ada", NOW.plusSeconds(120));

        assertThat(tokens.admittedSku(token, "ada", NOW)).contains("SKU-1");
        assertThat(tokens.admittedSku(token, "ada", NOW.plusSeconds(119))).contains("SKU-1");
        assertThat(tokens.admittedSku(token, "ada", NOW.plusSeconds(120))).isEmpty();
        assertThat(tokens.admittedSku(token, "bob", NOW)).isEmpty();
    }

    @Test
    void aTokenSignedWithAnotherSecretOrChangedInAnyByteIsNoToken() {
        String token = tokens.issue("SKU-1", "ada", NOW.plusSeconds(120));
        String forged = tokens("another-secret-of-thirty-two-characters!").issue("SKU-1", "ada", NOW.plusSeconds(120));
        String otherSku = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(("SKU-2\nada\n" + NOW.plusSeconds(120).toEpochMilli()).getBytes())
                + token.substring(token.indexOf('.'));

        assertThat(tokens.admittedSku(forged, "ada", NOW)).isEmpty();
        assertThat(tokens.admittedSku(otherSku, "ada", NOW)).isEmpty();
        assertThat(tokens.admittedSku(token.substring(0, token.length() - 2), "ada", NOW)).isEmpty();
        assertThat(tokens.admittedSku("not a token", "ada", NOW)).isEmpty();
        assertThat(tokens.admittedSku("%%%.%%%", "ada", NOW)).isEmpty();
        assertThat(tokens.admittedSku(null, "ada", NOW)).isEmpty();
        assertThat(tokens.admittedSku("x".repeat(2_000), "ada", NOW)).isEmpty();
    }

    private static AdmissionTokens tokens(String secret) {
        return new AdmissionTokens(new FlashSaleProperties("orders:", Duration.ofSeconds(1), Duration.ofSeconds(5),
                Duration.ofSeconds(30), Duration.ofSeconds(5),
                new FlashSaleProperties.WaitingRoom(true, ROOM.tick(), ROOM.admissionLifetime(), ROOM.heartbeat(), secret,
                        ROOM.adaptiveTargetP99(), ROOM.adaptiveMaxInFlight(), ROOM.maxStreams(), ROOM.positionUpdates())));
    }
}
