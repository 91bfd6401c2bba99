package dev.surge.gateway.problem;

import java.net.URI;
import java.util.Map;

import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.web.server.ServerWebExchange;

import dev.surge.service.web.ProblemHandler;

/**
 * The problem documents (RFC 9457) the gateway answers with. Each status has one stable
 * {@code type} URI, so a client can switch on the type without parsing titles or details, under
 * the one base every service's problems use ({@link ProblemHandler#TYPE_BASE}).
 */
public final class Problems {

    private static final Map<Integer, String> TYPES = Map.ofEntries(
            Map.entry(400, "invalid-request"),
            Map.entry(401, "unauthorized"),
            Map.entry(403, "forbidden"),
            Map.entry(404, "not-found"),
            Map.entry(405, "method-not-allowed"),
            Map.entry(406, "not-acceptable"),
            Map.entry(413, "payload-too-large"),
            Map.entry(414, "uri-too-long"),
            Map.entry(415, "unsupported-media-type"),
            Map.entry(429, "too-many-requests"),
            Map.entry(500, "internal-error"),
            Map.entry(502, "bad-gateway"),
            Map.entry(503, "service-unavailable"),
            Map.entry(504, "gateway-timeout"));

    /** Route metadata key naming the service a route leads to, for problem details. */
    public static final String SERVICE_METADATA = "service";

    private Problems() {
    }

    /** The stable type of every problem with this status. */
    public static URI typeFor(HttpStatusCode status) {
        return URI.create(ProblemHandler.TYPE_BASE + TYPES.getOrDefault(status.value(), "http-" + status.value()));
    }

    /** A problem with the status's stable type and title and the given detail. */
    public static ProblemDetail of(HttpStatusCode status, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(typeFor(status));
        return problem;
    }

    /**
     * The service the request was routed to, as problem details name it: the route's
     * {@code service} metadata, else the route id; {@code "gateway"} before routing.
     */
    public static String serviceOf(ServerWebExchange exchange) {
        Route route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
        if (route == null) {
            return "gateway";
        }
        Object service = route.getMetadata().get(SERVICE_METADATA);
        return service != null ? service.toString() : route.getId();
    }
}
