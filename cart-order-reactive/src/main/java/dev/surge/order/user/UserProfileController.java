package dev.surge.order.user;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import reactor.core.publisher.Mono;

/** {@code /api/users/me}: only ever the caller's own profile, addressed by the token, never by an id. */
@RestController
class UserProfileController {

    private final UserProfiles profiles;

    UserProfileController(UserProfiles profiles) {
        this.profiles = profiles;
    }

    @PutMapping("/api/users/me")
    Mono<ResponseEntity<UserProfile>> createOnFirstLogin(@AuthenticationPrincipal Jwt token) {
        return profiles.createFromToken(token)
                .map(outcome -> ResponseEntity.status(outcome.created() ? HttpStatus.CREATED : HttpStatus.OK)
                        .body(outcome.profile()));
    }

    @GetMapping("/api/users/me")
    Mono<UserProfile> me(@AuthenticationPrincipal Jwt token) {
        return profiles.me(token.getSubject());
    }

    @PatchMapping("/api/users/me")
    Mono<UserProfile> change(@AuthenticationPrincipal Jwt token, @RequestBody ProfileChanges changes) {
        return profiles.change(token.getSubject(), changes);
    }
}
