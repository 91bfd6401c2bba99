package dev.surge.order.user;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import dev.surge.testsupport.IntegrationTest;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

/** A profile load that read the row before a change committed must not leave its copy behind. */
@IntegrationTest(kafka = false)
class ProfileCacheIT {

    @Autowired
    RedisProfileCache cache;

    @Autowired
    ReactiveStringRedisTemplate redis;

    @Autowired
    UserProfileProperties settings;

    @Test
    void aLoadThatReadTheOldRowDoesNotWriteItAfterTheChangesEviction() {
        Sinks.Empty<Void> loading = Sinks.empty();
        Sinks.One<UserProfile> oldRow = Sinks.one();

        StepVerifier.create(cache.get("hana", () -> {
                    loading.tryEmitEmpty();
                    return oldRow.asMono();
                }))
                // the load has read the row (it waits here) when the change commits and evicts
                .then(() -> StepVerifier.create(loading.asMono()).verifyComplete())
                .then(() -> StepVerifier.create(cache.evict("hana")).verifyComplete())
                .then(() -> oldRow.tryEmitValue(profile("hana", "Old Name")))
                .expectNextMatches(profile -> profile.name().equals("Old Name"))
                .verifyComplete();

        assertThat(redis.hasKey(settings.keyPrefix() + "profile:hana").block(Duration.ofSeconds(5)))
                .as("the stale copy was not written").isFalse();

        StepVerifier.create(cache.get("hana", () -> Mono.just(profile("hana", "New Name"))))
                .expectNextMatches(profile -> profile.name().equals("New Name"))
                .verifyComplete();
        StepVerifier.create(cache.get("hana", () -> Mono.error(new AssertionError("must be a hit"))))
                .expectNextMatches(profile -> profile.name().equals("New Name"))
                .verifyComplete();
    }

    @Test
    void aLoadThatStartsAfterAnEvictionIsCached() {
        StepVerifier.create(cache.evict("ivan")).verifyComplete();
        StepVerifier.create(cache.get("ivan", () -> Mono.just(profile("ivan", "Ivan"))))
                .expectNextCount(1)
                .verifyComplete();
        assertThat(redis.hasKey(settings.keyPrefix() + "profile:ivan").block(Duration.ofSeconds(5))).isTrue();
    }

    private static UserProfile profile(String userId, String name) {
        Instant now = Instant.parse("2026-12-01T00:00:00Z");
        return new UserProfile(userId, userId + "@surge.test", name, null, UserProfile.Preferences.DEFAULT, now, now);
    }
}
