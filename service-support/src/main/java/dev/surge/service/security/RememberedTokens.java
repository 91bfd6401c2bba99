package dev.surge.service.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

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
 * the one remembered longest ago goes, which is also the first to run out (every token is
 * remembered for the same time), so a full cache costs one removal per new token, never a scan.
 * One map in insertion order under a monitor: each use is a hash lookup and a few pointer moves,
 * far shorter than the signature check it saves, and a monitor never parks an event loop the way
 * a contended lock would (BlockHound).
 */
final class RememberedTokens implements ReactiveJwtDecoder {

    private final ReactiveJwtDecoder verifier;
    private final OAuth2TokenValidator<Jwt> stillValid;
    private final Duration remember;
    private final int capacity;
    private final Clock clock;
    private final Map<String, Remembered> verified;

    RememberedTokens(ReactiveJwtDecoder verifier, OAuth2TokenValidator<Jwt> stillValid, Duration remember, int capacity,
            Clock clock) {
        this.verifier = verifier;
        this.stillValid = stillValid;
        this.remember = remember;
        this.capacity = capacity;
        this.clock = clock;
        this.verified = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Remembered> eldest) {
                return size() > capacity;
            }
        };
    }

    @Override
    public Mono<Jwt> decode(String token) {
        Instant now = clock.instant();
        Remembered known = lookUp(token, now);
        if (known != null) {
            OAuth2TokenValidatorResult result = stillValid.validate(known.jwt());
            if (!result.hasErrors()) {
                return Mono.just(known.jwt());
            }
            forget(token, known);
            return Mono.error(new JwtValidationException("The token is no longer valid", result.getErrors()));
        }
        return verifier.decode(token).doOnNext(jwt -> keep(token, jwt, now));
    }

    int size() {
        synchronized (verified) {
            return verified.size();
        }
    }

    /** The token if remembered and still within its time; one that is past it is dropped. */
    private Remembered lookUp(String token, Instant now) {
        synchronized (verified) {
            Remembered known = verified.get(token);
            if (known != null && !now.isBefore(known.until())) {
                verified.remove(token);
                return null;
            }
            return known;
        }
    }

    private void forget(String token, Remembered known) {
        synchronized (verified) {
            verified.remove(token, known);
        }
    }

    private void keep(String token, Jwt jwt, Instant now) {
        synchronized (verified) {
            // removed first so a token verified again goes to the young end of the order
            verified.remove(token);
            verified.put(token, new Remembered(jwt, now.plus(remember)));
        }
    }

    private record Remembered(Jwt jwt, Instant until) {
    }
}
