package dev.surge.order.user;

import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.stereotype.Service;

import dev.surge.service.web.NotFound;
import reactor.core.publisher.Mono;

/**
 * The shopper's own profile: created from the token's claims, read from Redis then PostgreSQL,
 * changed by the shopper. The user id is always the token's subject.
 */
@Service
class UserProfiles {

    private final R2dbcUserProfileRepository profiles;
    private final RedisProfileCache cache;

    UserProfiles(R2dbcUserProfileRepository profiles, RedisProfileCache cache) {
        this.profiles = profiles;
        this.cache = cache;
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
        return cache.get(userId, () -> profiles.find(userId)
                .switchIfEmpty(Mono.error(() -> new NotFound("profile", userId))));
    }

    Mono<UserProfile> change(String userId, ProfileChanges submitted) {
        return Mono.fromCallable(submitted::validated)
                .flatMap(changes -> profiles.update(userId, changes))
                .switchIfEmpty(Mono.error(() -> new NotFound("profile", userId)))
                // after the update committed: a load that read the old row meanwhile cannot write it back
                .flatMap(profile -> cache.evict(userId).thenReturn(profile));
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
