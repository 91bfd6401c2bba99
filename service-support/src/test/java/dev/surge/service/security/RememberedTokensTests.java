package dev.surge.service.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;

import reactor.core.publisher.Mono;

/** The remembering logic alone, with a stand-in verifier that counts its calls. */
class RememberedTokensTests {

    private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");

    private final AtomicInteger verifications = new AtomicInteger();
    private final ReactiveJwtDecoder verifier = token -> {
        verifications.incrementAndGet();
        return Mono.just(Jwt.withTokenValue(token).header("alg", "RS256").subject("alice")
                .issuedAt(NOW).expiresAt(NOW.plusSeconds(3600)).build());
    };

    @Test
    void aVerifiedTokenIsNotVerifiedAgainWhileRemembered() {
        RememberedTokens tokens = new RememberedTokens(verifier, jwt -> OAuth2TokenValidatorResult.success(),
                Duration.ofMinutes(5), 10, Clock.fixed(NOW, ZoneOffset.UTC));
        for (int i = 0; i < 5; i++) {
            assertThat(tokens.decode("token-a").block(Duration.ofSeconds(1)).getSubject()).isEqualTo("alice");
        }
        assertThat(verifications).hasValue(1);
        tokens.decode("token-b").block(Duration.ofSeconds(1));
        assertThat(verifications).hasValue(2);
    }

    @Test
    void afterItsTimeATokenIsVerifiedAgain() {
        MutableClock clock = new MutableClock(NOW);
        RememberedTokens tokens = new RememberedTokens(verifier, jwt -> OAuth2TokenValidatorResult.success(),
                Duration.ofMinutes(5), 10, clock);
        tokens.decode("token-a").block(Duration.ofSeconds(1));
        clock.set(NOW.plus(Duration.ofMinutes(6)));
        tokens.decode("token-a").block(Duration.ofSeconds(1));
        assertThat(verifications).hasValue(2);
    }

    @Test
    void itNeverHoldsMoreThanItsCapacity() {
        RememberedTokens tokens = new RememberedTokens(verifier, jwt -> OAuth2TokenValidatorResult.success(),
                Duration.ofMinutes(5), 100, Clock.fixed(NOW, ZoneOffset.UTC));
        for (int i = 0; i < 1000; i++) {
            tokens.decode("token-" + i).block(Duration.ofSeconds(1));
            assertThat(tokens.size()).isLessThanOrEqualTo(100);
        }
    }

    @Test
    void aFullCacheDropsTheTokenRememberedLongestAgoAndKeepsTheRest() {
        MutableClock clock = new MutableClock(NOW);
        RememberedTokens tokens = new RememberedTokens(verifier, jwt -> OAuth2TokenValidatorResult.success(),
                Duration.ofMinutes(5), 3, clock);
        for (String token : new String[] { "a", "b", "c" }) {
            tokens.decode(token).block(Duration.ofSeconds(1));
            clock.advance(Duration.ofSeconds(1));
        }
        assertThat(verifications).hasValue(3);

        tokens.decode("d").block(Duration.ofSeconds(1));
        assertThat(tokens.size()).isEqualTo(3);
        tokens.decode("b").block(Duration.ofSeconds(1));
        tokens.decode("c").block(Duration.ofSeconds(1));
        tokens.decode("d").block(Duration.ofSeconds(1));
        assertThat(verifications).as("b, c and d are still remembered").hasValue(4);

        tokens.decode("a").block(Duration.ofSeconds(1));
        assertThat(verifications).as("a, remembered first, was the one to go").hasValue(5);
    }

    @Test
    void aTokenPastItsTimeIsDroppedWhenLookedUp() {
        MutableClock clock = new MutableClock(NOW);
        RememberedTokens tokens = new RememberedTokens(verifier, jwt -> OAuth2TokenValidatorResult.success(),
                Duration.ofMinutes(5), 10, clock);
        tokens.decode("a").block(Duration.ofSeconds(1));
        clock.advance(Duration.ofMinutes(5));
        tokens.decode("a").block(Duration.ofSeconds(1));
        assertThat(verifications).hasValue(2);
        assertThat(tokens.size()).isEqualTo(1);
    }
}
