package dev.surge.gateway.routing;

import java.net.ConnectException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.filter.RouteToRequestUrlFilter;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

import dev.surge.gateway.resilience.InstanceBreakers;
import dev.surge.gateway.resilience.InstanceFailure;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.observation.Observation;
import reactor.core.publisher.Mono;

/**
 * Spreads a route's requests over its service's instances ({@link InstancesProperties}), in turn,
 * and passes over an instance that refuses connections: the request goes to the next one, so a
 * stopped or killed instance costs nobody an error while another is up. Only a refused connection
 * moves a request on, never a failure after it was sent: nothing of it reached the refusing instance,
 * so even a POST is safe to send elsewhere, where a request cut off mid-way may have taken effect.
 * An instance that refused is passed over for {@link #PASS_OVER} before it is tried again.
 *
 * <p>Each instance has its own breaker ({@link InstanceBreakers}): it counts what happened on that
 * instance (a refusal, a reset, an answer later than a little under the service's time limit; a call
 * counts as answered once the answer starts, as for the service's breaker), and while it is open the
 * instance is passed over without a try. A request that failed on an instance while another
 * instance's breaker is closed fails as
 * {@link InstanceFailure}, which the service's breaker does not count: when an instance dies, the
 * requests in flight on it fail (they may have taken effect, so nobody sends them again), but the
 * service stays open to everyone on the instances that live. When no instance is healthy, failures
 * count for the service as they are, and with every instance's breaker open a request fails as
 * not permitted: the service's breaker then opens, and answers {@code 503} with its Retry-After.
 *
 * <p>It runs where Spring Cloud's load balancer would, right after the route's URI is resolved and
 * before the request is sent, inside the route's circuit breaker.
 */
@Component
class ServiceInstancesFilter implements GlobalFilter, Ordered {

    /** After {@link RouteToRequestUrlFilter}, which resolves the URL this filter rewrites; before routing. */
    static final int ORDER = RouteToRequestUrlFilter.ROUTE_TO_URL_FILTER_ORDER + 150;

    static final Duration PASS_OVER = Duration.ofSeconds(2);

    private static final Log log = LogFactory.getLog(ServiceInstancesFilter.class);

    private final Map<String, List<URI>> instances;
    private final InstanceBreakers breakers;
    private final Map<String, AtomicInteger> turns = new ConcurrentHashMap<>();
    private final Map<URI, Long> refusedUntil = new ConcurrentHashMap<>();
    private final Clock clock;

    @Autowired
    ServiceInstancesFilter(InstancesProperties properties, InstanceBreakers breakers) {
        this(properties, breakers, Clock.systemUTC());
    }

    ServiceInstancesFilter(InstancesProperties properties, InstanceBreakers breakers, Clock clock) {
        this.instances = properties.instances();
        this.breakers = breakers;
        this.clock = clock;
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        Route route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
        URI url = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_REQUEST_URL_ATTR);
        String service = route == null ? null : String.valueOf(route.getMetadata().get("service"));
        List<URI> candidates = route == null || url == null ? null : instances.get(service);
        if (candidates == null || candidates.size() < 2) {
            return chain.filter(exchange);
        }
        int first = Math.floorMod(turns.computeIfAbsent(route.getId(), id -> new AtomicInteger()).getAndIncrement(),
                candidates.size());
        // a stream's route has no time limit (response-timeout -1); any other is cut by the service's breaker
        boolean stream = "-1".equals(String.valueOf(route.getMetadata().get("response-timeout")).strip());
        Duration limit = stream ? null : breakers.attemptTimeout(service);
        return attempt(exchange, chain, service, url, limit, order(service, candidates, first), 0);
    }

    /** The instances from {@code first} on, in turn, those that refused lately or whose breaker is open last. */
    private List<URI> order(String service, List<URI> candidates, int first) {
        ArrayList<URI> ready = new ArrayList<>(candidates.size());
        ArrayList<URI> unwell = new ArrayList<>(1);
        for (int i = 0; i < candidates.size(); i++) {
            URI candidate = candidates.get((first + i) % candidates.size());
            (healthy(service, candidate) ? ready : unwell).add(candidate);
        }
        ready.addAll(unwell);
        return ready;
    }

    /** Not refused lately, and its breaker lets calls through (closed, or half open and probing). */
    private boolean healthy(String service, URI instance) {
        CircuitBreaker.State state = breakers.of(service, instance).getState();
        return !refusedLately(instance) && (state == CircuitBreaker.State.CLOSED || state == CircuitBreaker.State.HALF_OPEN);
    }

    private boolean refusedLately(URI instance) {
        Long until = refusedUntil.get(instance);
        return until != null && until > clock.millis();
    }

    /**
     * @param limit the attempt's time limit, a little under the service breaker's so that a hung instance's
     *        call fails here, where its own breaker counts it; null for none (a stream)
     */
    private Mono<Void> attempt(ServerWebExchange exchange, GatewayFilterChain chain, String service, URI url,
            Duration limit, List<URI> order, int index) {
        URI instance = order.get(index);
        URI target = on(url, instance);
        CircuitBreaker breaker = breakers.of(service, instance);
        if (!breaker.tryAcquirePermission()) {
            return index + 1 < order.size()
                    ? attempt(exchange, chain, service, url, limit, order, index + 1)
                    : Mono.error(CallNotPermittedException.createCallNotPermittedException(breaker));
        }
        Outcome outcome = new Outcome(breaker);
        exchange.getAttributes().put(ServerWebExchangeUtils.GATEWAY_REQUEST_URL_ATTR, target);
        Mono<Void> call = chain.filter(exchange);
        // the routing filter's call ends with the response's headers (the body is written after it): a stream
        // counts as answered then, as for the service's breaker
        return (limit == null ? call : call.timeout(limit))
                .doOnSuccess(done -> {
                    refusedUntil.remove(instance);
                    outcome.answered();
                })
                .doOnCancel(outcome::abandoned)
                .onErrorResume(failure -> {
                    outcome.failed(failure);
                    if (!refused(failure) || index + 1 >= order.size() || exchange.getResponse().isCommitted()) {
                        // only what the instance's breaker counts is its failure: a client's 4xx stays what it is
                        boolean instanceFailure = !breaker.getCircuitBreakerConfig().getIgnoreExceptionPredicate().test(failure)
                                && otherHealthy(service, instance, order);
                        return Mono.error(instanceFailure ? new InstanceFailure(instance, failure) : failure);
                    }
                    refusedUntil.put(instance, clock.millis() + PASS_OVER.toMillis());
                    log.warn(instance + " refused a connection; sending " + exchange.getRequest().getPath() + " to "
                            + order.get(index + 1));
                    // the routing filter marks the exchange routed before it connects: unmark it to route again
                    exchange.getAttributes().remove(ServerWebExchangeUtils.GATEWAY_ALREADY_ROUTED_ATTR);
                    // and it started a client observation for this attempt, which only an answer would stop: stop it
                    // here, or each passed-over attempt would stay an active sample for good
                    Object observation = exchange.getAttributes().remove(ServerWebExchangeUtils.GATEWAY_OBSERVATION_ATTR);
                    if (observation instanceof Observation attempt) {
                        attempt.error(failure);
                        attempt.stop();
                    }
                    return attempt(exchange, chain, service, url, limit, order, index + 1);
                });
    }

    /**
     * Whether another instance is well: its breaker closed (a half-open one is still only being probed),
     * not refused lately. Then the failure is the instance's, not the service's.
     */
    private boolean otherHealthy(String service, URI failed, List<URI> candidates) {
        for (URI candidate : candidates) {
            if (!candidate.equals(failed) && !refusedLately(candidate)
                    && breakers.of(service, candidate).getState() == CircuitBreaker.State.CLOSED) {
                return true;
            }
        }
        return false;
    }

    /**
     * One attempt's call as its instance's breaker counts it, exactly once: answered, failed, or
     * abandoned (the shopper went away, or the service's time limit cut it: neither says what the
     * instance did, so the permission is given back uncounted).
     */
    private static final class Outcome {

        private final CircuitBreaker breaker;
        private final long start;
        private final AtomicBoolean counted = new AtomicBoolean();

        Outcome(CircuitBreaker breaker) {
            this.breaker = breaker;
            this.start = breaker.getCurrentTimestamp();
        }

        void answered() {
            if (counted.compareAndSet(false, true)) {
                breaker.onSuccess(breaker.getCurrentTimestamp() - start, breaker.getTimestampUnit());
            }
        }

        void failed(Throwable failure) {
            if (counted.compareAndSet(false, true)) {
                breaker.onError(breaker.getCurrentTimestamp() - start, breaker.getTimestampUnit(), failure);
            }
        }

        void abandoned() {
            if (counted.compareAndSet(false, true)) {
                breaker.releasePermission();
            }
        }
    }

    private static boolean refused(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectException) {
                return true;
            }
        }
        return false;
    }

    /** The request's URL on the instance: its scheme and authority swapped, path and query kept as they are. */
    private static URI on(URI url, URI instance) {
        return URI.create(instance.getScheme() + "://" + instance.getRawAuthority() + url.getRawPath()
                + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery()));
    }
}
