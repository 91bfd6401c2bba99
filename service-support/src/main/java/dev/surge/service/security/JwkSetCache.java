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
 * <p>Policy: a request never waits for the provider while keys are held. Keys older than
 * {@code maxAge} are refetched in the background, and so are they when a token names a key id
 * the held set does not have (the provider rotated its keys; that token is refused, a retry after
 * the refetch passes) — at most once per {@code minRefreshInterval}, so a stream of tokens with
 * invented {@code kid}s costs the provider one request per interval, not one per token. Only
 * while no key at all is held (start-up, or a provider that has never answered) do requests wait,
 * all for the same one fetch; a fetch that failed then is tried again by the next request a second
 * later at most, not after {@code minRefreshInterval}, which would refuse every token for that long
 * (a gateway whose first fetch timed out under a flash sale's opening wave answered 1,000 shoppers
 * {@code 401}). {@link #warm()} fetches the keys before the first request needs them. When the
 * provider cannot be reached, the keys held stay in use for as long as it takes.
 */
public final class JwkSetCache implements Function<SignedJWT, Flux<JWK>> {

    private static final Logger log = LoggerFactory.getLogger(JwkSetCache.class);

    /** While no key is held, how soon a failed fetch may be tried again. */
    private static final Duration RETRY_WITHOUT_KEYS = Duration.ofSeconds(1);

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
        Keys held = keys;
        if (held == Keys.NONE) {
            return firstKeys().flatMapIterable(fresh -> selector.select(fresh.set()));
        }
        List<JWK> matching = selector.select(held.set());
        if (matching.isEmpty() || !clock.instant().isBefore(held.fetchedAt().plus(maxAge))) {
            refreshInBackground();
        }
        return Flux.fromIterable(matching);
    }

    /**
     * Fetches the keys now, unless some are held or a fetch is under way: done at start-up, so that
     * the first requests find them. Completes when the fetch has, whatever its outcome (logged).
     */
    public Mono<Void> warm() {
        return keys == Keys.NONE ? fetch().then() : Mono.empty();
    }

    /** How many key sets have been loaded from the provider so far. */
    public long loads() {
        return keys.generation();
    }

    /** Nothing to check a token against yet: wait for the one fetch under way, or start it if allowed. */
    private Mono<Keys> firstKeys() {
        Mono<Keys> running = inFlight.get();
        if (running != null) {
            return running;
        }
        return mayFetch() ? fetch() : Mono.just(keys);
    }

    /**
     * Starts a fetch that no request waits for. Detached on purpose: it is bounded by
     * {@code timeout}, at most one runs at a time, its failure is logged and keeps the held keys,
     * and the next request that finds the keys due starts the next one.
     */
    private void refreshInBackground() {
        if (inFlight.get() == null && mayFetch()) {
            fetch().toFuture();
        }
    }

    private boolean mayFetch() {
        Instant started = lastFetchStarted;
        Duration interval = keys == Keys.NONE && RETRY_WITHOUT_KEYS.compareTo(minRefreshInterval) < 0
                ? RETRY_WITHOUT_KEYS : minRefreshInterval;
        return started == Instant.MIN || !clock.instant().isBefore(started.plus(interval));
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
