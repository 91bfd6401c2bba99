package dev.surge.gateway.resilience;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

import dev.surge.gateway.problem.Problems;

/** A service failed and the gateway has nothing good to answer in its place: 503 with {@code Retry-After}. */
final class ServiceUnavailable extends ErrorResponseException {

    ServiceUnavailable(String service, long retryAfterSeconds, Throwable cause) {
        super(HttpStatus.SERVICE_UNAVAILABLE, problem(service, retryAfterSeconds), cause);
        getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds));
    }

    private static ProblemDetail problem(String service, long retryAfterSeconds) {
        ProblemDetail problem = Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "The " + service
                + " service is unavailable and the gateway has no earlier answer to this request; try again in "
                + retryAfterSeconds + " s.");
        problem.setProperty("service", service);
        return problem;
    }

    /** Thrown on every request while a service is down: the stack says nothing the cause does not. */
    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
