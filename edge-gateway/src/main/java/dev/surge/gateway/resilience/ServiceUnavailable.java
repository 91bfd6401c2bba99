package dev.surge.gateway.resilience;

import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.cloud.gateway.support.ServiceUnavailableException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponse;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.server.ServerWebExchange;

import dev.surge.gateway.problem.Problems;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import reactor.core.publisher.Mono;

/** A service failed and the gateway has nothing good to answer in its place: 503 with {@code Retry-After}. */
final class ServiceUnavailable extends ErrorResponseException {

    ServiceUnavailable(String service, long retryAfterSeconds, boolean keepsAnswers, Throwable cause) {
        super(HttpStatus.SERVICE_UNAVAILABLE, problem(service, retryAfterSeconds, keepsAnswers), cause);
        getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds));
    }

    /**
     * This 503 in place of a failure of the route's service (refused, timed out, breaker open,
     * bulkhead full, a 502/503/504 the breaker counted), naming the service and carrying its
     * breaker's open-state wait as {@code Retry-After}; any other failure passes on as it is.
     * {@code keepsAnswers}: the route serves kept answers, so the detail says there was none.
     */
    static <T> Mono<T> insteadOf(Throwable failure, ServerWebExchange exchange, ResilienceProperties properties,
            boolean keepsAnswers) {
        if (!isServiceFailure(exchange, failure)) {
            return Mono.error(failure);
        }
        String service = Problems.serviceOf(exchange);
        long retryAfter = properties.breaker(service).retryAfterSeconds();
        return Mono.error(new ServiceUnavailable(service, retryAfter, keepsAnswers, failure));
    }

    /**
     * Whether the failure is the service's: the call to it was made (refused, timed out, a status the
     * breaker counts) or the breaker refused to make it. A filter failing before the call (a token
     * refresh the provider refused, the session store away) is not, and keeps its own answer; nor is a
     * 4xx raised on the way, which is the client's. Once the answer has started there is nothing to
     * replace.
     */
    static boolean isServiceFailure(ServerWebExchange exchange, Throwable failure) {
        if (failure instanceof InstanceFailure onOneInstance) {
            return isServiceFailure(exchange, onOneInstance.getCause());
        }
        if (exchange.getResponse().isCommitted()
                || failure instanceof ErrorResponse response && response.getStatusCode().is4xxClientError()) {
            return false;
        }
        return ServerWebExchangeUtils.isAlreadyRouted(exchange)
                || failure instanceof ServiceUnavailableException
                || failure instanceof CallNotPermittedException
                || failure instanceof BulkheadFullException;
    }

    private static ProblemDetail problem(String service, long retryAfterSeconds, boolean keepsAnswers) {
        String detail = keepsAnswers
                ? "The " + service + " service is unavailable and the gateway has no earlier answer to this request; try again in "
                        + retryAfterSeconds + " s."
                : "The " + service + " service is unavailable; try again in " + retryAfterSeconds + " s.";
        ProblemDetail problem = Problems.of(HttpStatus.SERVICE_UNAVAILABLE, detail);
        problem.setProperty("service", service);
        return problem;
    }

    /** Thrown on every request while a service is down: the stack says nothing the cause does not. */
    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
