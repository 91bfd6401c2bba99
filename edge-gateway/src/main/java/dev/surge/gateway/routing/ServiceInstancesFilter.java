package dev.surge.gateway.routing;

import java.net.ConnectException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
 * <p>It runs where Spring Cloud's load balancer would, right after the route's URI is resolved and
 * before the request is sent, inside the route's circuit breaker: one instance down is not the
 * service down, all of them is.
 */
@Component
class ServiceInstancesFilter implements GlobalFilter, Ordered {

    /** After {@link RouteToRequestUrlFilter}, which resolves the URL this filter rewrites; before routing. */
    static final int ORDER = RouteToRequestUrlFilter.ROUTE_TO_URL_FILTER_ORDER + 150;

    static final Duration PASS_OVER = Duration.ofSeconds(2);

    private static final Log log = LogFactory.getLog(ServiceInstancesFilter.class);

    private final Map<String, List<URI>> instances;
    private final Map<String, AtomicInteger> turns = new ConcurrentHashMap<>();
    private final Map<URI, Long> refusedUntil = new ConcurrentHashMap<>();
    private final Clock clock;

    @Autowired
    ServiceInstancesFilter(InstancesProperties properties) {
        this(properties, Clock.systemUTC());
    }

    ServiceInstancesFilter(InstancesProperties properties, Clock clock) {
        this.instances = properties.instances();
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
        List<URI> candidates = route == null || url == null ? null : instances.get(String.valueOf(route.getMetadata().get("service")));
        if (candidates == null || candidates.size() < 2) {
            return chain.filter(exchange);
        }
        int first = Math.floorMod(turns.computeIfAbsent(route.getId(), id -> new AtomicInteger()).getAndIncrement(),
                candidates.size());
        return attempt(exchange, chain, url, order(candidates, first), 0);
    }

    /** The instances from {@code first} on, in turn, those that refused lately last. */
    private List<URI> order(List<URI> candidates, int first) {
        long now = clock.millis();
        ArrayList<URI> ready = new ArrayList<>(candidates.size());
        ArrayList<URI> refused = new ArrayList<>(1);
        for (int i = 0; i < candidates.size(); i++) {
            URI candidate = candidates.get((first + i) % candidates.size());
            Long until = refusedUntil.get(candidate);
            (until != null && until > now ? refused : ready).add(candidate);
        }
        ready.addAll(refused);
        return ready;
    }

    private Mono<Void> attempt(ServerWebExchange exchange, GatewayFilterChain chain, URI url, List<URI> order, int index) {
        URI instance = order.get(index);
        exchange.getAttributes().put(ServerWebExchangeUtils.GATEWAY_REQUEST_URL_ATTR, on(url, instance));
        return chain.filter(exchange)
                .doOnSuccess(done -> refusedUntil.remove(instance))
                .onErrorResume(failure -> refused(failure) && index + 1 < order.size()
                        && !exchange.getResponse().isCommitted(), failure -> {
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
                    return attempt(exchange, chain, url, order, index + 1);
                });
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
