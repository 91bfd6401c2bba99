package dev.surge.service.security;

import java.net.URI;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.reactive.function.client.WebClient;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The identity provider's signing keys, fetched from its JWKS URI without blocking and kept.
 *
 * <p>Policy: keys are refetched when older than {@code maxAge}, and at once when a token names a
 * key id the cached set does not hold (the provider rotated its keys) — but at most once per
 * {@code minRefreshInterval}, so a stream of tokens with invented {@code kid}s costs the provider
 * one request per interval, not one per token. One fetch runs at a time; everyone waiting shares
 * it. When the provider cannot be reached, the keys already held stay in use.
 */
public final class JwkSetCache implements Function<SignedJWT, Flux<JWK>> {

    private static final Logger log = LoggerFactory.getLogger(JwkSetCache.class);

    private final WebClient client;
    private final URI uri;
    private final Duration maxAge;
    private final Duration minRefreshInterval;
    private final Duration timeout;
    private final Clock clock;

    private volatile Keys keys = Keys.NONE;
    private volatile Instant lastFetchStarted = Instant.MIN;
    private final AtomicReference<Mono<Keys>> inFlight = new AtomicReference<>();

    public JwkSetCache(WebClient client, URI uri, Duration maxAge, Duration minRefreshInterval, Duration timeout,
            Clock clock) {
        this.client = client;
        this.uri = uri;
        this.maxAge = maxAge;
        this.minRefreshInterval = minRefreshInterval;
        this.timeout = timeout;
        this.clock = clock;
    }

    @Override
    public Flux<JWK> apply(SignedJWT jwt) {
        if (!JWSAlgorithm.Family.SIGNATURE.contains(jwt.getHeader().getAlgorithm())) {
            // an HMAC or unknown algorithm has no key here; never a reason to call the provider
            return Flux.empty();
        }
        JWKSelector selector = new JWKSelector(JWKMatcher.forJWSHeader(jwt.getHeader()));
        return current().flatMapMany(held -> {
            List<JWK> matching = selector.select(held.set());
            if (!matching.isEmpty()) {
                return Flux.fromIterable(matching);
            }
            Mono<Keys> running = inFlight.get();
            if (running != null) {
                // a fetch is under way (start-up, rotation): wait for it rather than refuse the token
                return running.flatMapIterable(fresh -> selector.select(fresh.set()));
            }
            return mayFetch() ? fetch().flatMapIterable(fresh -> selector.select(fresh.set())) : Flux.empty();
        });
    }

    /** How many key sets have been loaded from the provider so far. */
    public long loads() {
        return keys.generation();
    }

    private Mono<Keys> current() {
        Keys held = keys;
        boolean stale = held == Keys.NONE || held.fetchedAt().plus(maxAge).isBefore(clock.instant());
        if (!stale) {
            return Mono.just(held);
        }
        Mono<Keys> running = inFlight.get();
        return running != null ? running : mayFetch() ? fetch() : Mono.just(held);
    }

    private boolean mayFetch() {
        Instant started = lastFetchStarted;
        return started == Instant.MIN || !clock.instant().isBefore(started.plus(minRefreshInterval));
    }

    private Mono<Keys> fetch() {
        Mono<Keys> running = inFlight.get();
        if (running != null) {
            return running;
        }
        Mono<Keys> request = Mono.defer(() -> {
                    lastFetchStarted = clock.instant();
                    return client.get().uri(uri).retrieve().bodyToMono(String.class).timeout(timeout);
                })
                .map(this::parse)
                .doOnNext(fresh -> keys = fresh)
                .onErrorResume(failure -> {
                    log.warn("could not fetch the signing keys from {}: {}; keeping the {} held", uri,
                            failure.toString(), keys.set().getKeys().size());
                    return Mono.just(keys);
                })
                .doFinally(signal -> inFlight.set(null))
                .cache();
        return inFlight.compareAndSet(null, request) ? request : Mono.defer(() -> {
            Mono<Keys> other = inFlight.get();
            return other != null ? other : Mono.just(keys);
        });
    }

    private Keys parse(String body) {
        try {
            return new Keys(JWKSet.parse(body), clock.instant(), keys.generation() + 1);
        }
        catch (ParseException e) {
            throw new IllegalStateException("the JWKS document is not a key set", e);
        }
    }

    private record Keys(JWKSet set, Instant fetchedAt, long generation) {
        static final Keys NONE = new Keys(new JWKSet(), Instant.MIN, 0);
    }
}
