package dev.surge.order.user;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.stereotype.Service;

import dev.surge.service.web.NotFound;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * The shopper's own profile: created from the token's claims, read from Redis then PostgreSQL,
 * changed by the shopper. The user id is always the token's subject.
 */
@Service
class UserProfiles {

    private static final Logger log = LoggerFactory.getLogger(UserProfiles.class);
    private static final Duration CACHE_TTL = Duration.ofMinutes(10);
    private static final Duration REDIS_TIMEOUT = Duration.ofMillis(250);

    private final R2dbcUserProfileRepository profiles;
    private final ReactiveStringRedisTemplate redis;
    private final JsonMapper json;
    private final String keyPrefix;

    UserProfiles(R2dbcUserProfileRepository profiles, ReactiveStringRedisTemplate redis, JsonMapper json,
            UserProfileProperties properties) {
        this.profiles = profiles;
        this.redis = redis;
        this.json = json;
        this.keyPrefix = properties.keyPrefix();
    }

    /** Creates the profile on first login; a second call changes nothing. Emits whether it was created now. */
    Mono<Created> createFromToken(Jwt token) {
        String userId = token.getSubject();
        String email = token.hasClaim("email") ? token.getClaimAsString("email") : userId;
        String name = firstPresent(token.getClaimAsString("name"), token.getClaimAsString("preferred_username"), userId);
        return profiles.createIfAbsent(userId, email, name)
                .flatMap(created -> me(userId).map(profile -> new Created(profile, created)));
    }

    Mono<UserProfile> me(String userId) {
        return cached(userId)
                .switchIfEmpty(Mono.defer(() -> profiles.find(userId)
                        .switchIfEmpty(Mono.error(() -> new NotFound("profile", userId)))
                        .flatMap(profile -> cache(profile).thenReturn(profile))));
    }

    Mono<UserProfile> change(String userId, ProfileChanges submitted) {
        return Mono.fromCallable(submitted::validated)
                .flatMap(changes -> profiles.update(userId, changes))
                .switchIfEmpty(Mono.error(() -> new NotFound("profile", userId)))
                .flatMap(profile -> evict(userId).thenReturn(profile));
    }

    private Mono<UserProfile> cached(String userId) {
        return redis.opsForValue().get(key(userId))
                .timeout(REDIS_TIMEOUT)
                .map(value -> json.readValue(value, UserProfile.class))
                // Redis down or slow: read PostgreSQL instead
                .onErrorResume(failure -> skipCache("read", failure));
    }

    private Mono<Void> cache(UserProfile profile) {
        return Mono.fromCallable(() -> json.writeValueAsString(profile))
                .flatMap(value -> redis.opsForValue().set(key(profile.userId()), value, CACHE_TTL))
                .timeout(REDIS_TIMEOUT)
                .then()
                // not cached this time; the next read goes to PostgreSQL again
                .onErrorResume(failure -> skipCache("write", failure));
    }

    private Mono<Void> evict(String userId) {
        return redis.delete(key(userId))
                .timeout(REDIS_TIMEOUT)
                .then()
                // an eviction Redis missed leaves the old profile until the TTL: logged, not failed
                .onErrorResume(failure -> skipCache("evict", failure));
    }

    private String key(String userId) {
        return keyPrefix + "profile:" + userId;
    }

    private static <T> Mono<T> skipCache(String operation, Throwable failure) {
        log.warn("Profile cache {} skipped: {}", operation, failure.toString());
        return Mono.empty();
    }

    private static String firstPresent(String... values) {
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return "";
    }

    /**
     * The outcome of a first-login call.
     *
     * @param profile the profile as it is now
     * @param created whether this call created it
     */
    record Created(UserProfile profile, boolean created) {
    }
}
