package dev.surge.service.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;

import reactor.core.publisher.Mono;

/**
 * Remembers tokens that passed every check, for {@code remember} (5 min), so an API client that
 * sends the same token on every call pays the RS256 signature check once, not per request (it
 * was ~15 % of the gateway's CPU on bearer requests, JFR). A token is looked up by its exact text,
 * signature included, so only a byte-identical copy of a verified token is ever taken from here;
 * its expiry and not-before are checked again on every use. A key withdrawn at the provider stops
 * remembered tokens within {@code remember}. At most {@code capacity} tokens are kept: when full,
 * outdated ones are dropped, and if that is not enough, all of them.
 */
final class RememberedTokens implements ReactiveJwtDecoder {

    private final ReactiveJwtDecoder verifier;
    private final OAuth2TokenValidator<Jwt> stillValid;
    private final Duration remember;
    private final int capacity;
    private final Clock clock;
    private final ConcurrentHashMap<String, Remembered> verified = new ConcurrentHashMap<>();

    RememberedTokens(ReactiveJwtDecoder verifier, OAuth2TokenValidator<Jwt> stillValid, Duration remember, int capacity,
            Clock clock) {
        this.verifier = verifier;
        this.stillValid = stillValid;
        this.remember = remember;
        this.capacity = capacity;
        this.clock = clock;
    }

    @Override
    public Mono<Jwt> decode(String token) {
        Instant now = clock.instant();
        Remembered known = verified.get(token);
        if (known != null && now.isBefore(known.until())) {
            OAuth2TokenValidatorResult result = stillValid.validate(known.jwt());
            if (!result.hasErrors()) {
                return Mono.just(known.jwt());
            }
            verified.remove(token, known);
            return Mono.error(new JwtValidationException("The token is no longer valid", result.getErrors()));
        }
        if (known != null) {
            verified.remove(token, known);
        }
        return verifier.decode(token).doOnNext(jwt -> keep(token, jwt, now));
    }

    int size() {
        return verified.size();
    }

    private void keep(String token, Jwt jwt, Instant now) {
        if (verified.size() >= capacity) {
            verified.values().removeIf(entry -> !now.isBefore(entry.until()));
            if (verified.size() >= capacity) {
                verified.clear();
            }
        }
        verified.put(token, new Remembered(jwt, now.plus(remember)));
    }

    private record Remembered(Jwt jwt, Instant until) {
    }
}
