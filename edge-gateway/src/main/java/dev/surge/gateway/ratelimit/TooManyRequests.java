package dev.surge.gateway.ratelimit;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

import dev.surge.gateway.problem.Problems;

/** A client spent its tokens: 429 with {@code Retry-After}. */
final class TooManyRequests extends ErrorResponseException {

    TooManyRequests(String limitName, long retryAfterSeconds) {
        super(HttpStatus.TOO_MANY_REQUESTS, problem(limitName, retryAfterSeconds), null);
        getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds));
    }

    private static ProblemDetail problem(String limitName, long retryAfterSeconds) {
        ProblemDetail problem = Problems.of(HttpStatus.TOO_MANY_REQUESTS, "Too many " + limitName
                + " requests from this client; try again in " + retryAfterSeconds + " s.");
        problem.setProperty("limit", limitName);
        return problem;
    }

    /** Raised at the rate of an abusive client: a stack trace per refusal would be the costliest part. */
    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
