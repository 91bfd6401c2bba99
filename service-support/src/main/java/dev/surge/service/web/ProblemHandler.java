package dev.surge.service.web;

import java.net.URI;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.reactive.result.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.server.ServerWebExchange;

import reactor.core.publisher.Mono;

/**
 * The one place a service's typed exceptions become RFC 9457 problems, each with a stable
 * {@code type}. Framework errors (unsupported method, unreadable body, ...) are problems too,
 * through the base class, and get a type of their own here: a body that is not JSON
 * ({@code malformed-body}), a JSON value of the wrong type or a bad parameter
 * ({@code invalid-request}, naming the field), a body in another media type
 * ({@code unsupported-media-type}, 415), and any other status its slug ({@code method-not-allowed}).
 * Their details say what is wrong with the request and never quote parser or class internals.
 * Registered for every reactive service by {@link WebProblemsAutoConfiguration}.
 */
@RestControllerAdvice
public class ProblemHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

    /** How long a client waits before it asks again when the database did not answer. */
    static final int DATABASE_RETRY_AFTER_SECONDS = 5;

    /** Every problem type is this base plus a slug: {@code https://surge.dev/problems/invalid-request}. */
    public static final String TYPE_BASE = "https://surge.dev/problems/";

    @ExceptionHandler(InvalidParameter.class)
    ResponseEntity<ProblemDetail> invalidParameter(InvalidParameter e) {
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request", e.getMessage());
        problem.setProperty("errors", List.of(Map.of("field", e.parameter(), "message", e.getMessage())));
        return answer(problem);
    }

    @ExceptionHandler(InvalidFields.class)
    ResponseEntity<ProblemDetail> invalidFields(InvalidFields e) {
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request", e.getMessage());
        problem.setProperty("errors", e.errors());
        return answer(problem);
    }

    @ExceptionHandler(Conflict.class)
    ResponseEntity<ProblemDetail> conflict(Conflict e) {
        ProblemDetail problem = problem(e.status(), e.type(), e.title(), e.getMessage());
        e.properties().forEach(problem::setProperty);
        return answer(problem);
    }

    @ExceptionHandler(NotFound.class)
    ResponseEntity<ProblemDetail> notFound(NotFound e) {
        return answer(problem(HttpStatus.NOT_FOUND, e.kind().replace(' ', '-') + "-not-found",
                Character.toUpperCase(e.kind().charAt(0)) + e.kind().substring(1) + " not found", e.getMessage()));
    }

    /**
     * The database did not answer (refused, dropped, timed out): {@code 503} with {@code Retry-After},
     * which a client retries and the gateway passes on, rather than a {@code 500} that says the request
     * itself broke something. Whatever the request was writing was rolled back with its transaction.
     */
    @ExceptionHandler(DataAccessResourceFailureException.class)
    ResponseEntity<ProblemDetail> databaseUnavailable(DataAccessResourceFailureException e) {
        log.warn("Database unavailable: {}", e.getMostSpecificCause().toString());
        ProblemDetail problem = problem(HttpStatus.SERVICE_UNAVAILABLE, "database-unavailable", "Database unavailable",
                "The service cannot reach its database just now; nothing was changed, try again in "
                        + DATABASE_RETRY_AFTER_SECONDS + " s.");
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .header(HttpHeaders.RETRY_AFTER, Integer.toString(DATABASE_RETRY_AFTER_SECONDS))
                .body(problem);
    }

    /** Anything unexpected: a problem document that names no internals; the details go to the log. */
    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e) {
        log.error("Unexpected failure", e);
        return answer(problem(HttpStatus.INTERNAL_SERVER_ERROR, "internal-error", "Internal error",
                "The service could not answer this request."));
    }

    @Override
    protected Mono<ResponseEntity<Object>> handleExceptionInternal(Exception exception, @Nullable Object body,
            @Nullable HttpHeaders headers, HttpStatusCode status, ServerWebExchange exchange) {
        return super.handleExceptionInternal(exception, FrameworkProblems.describe(exception, body, status), headers,
                status, exchange);
    }

    /**
     * A problem is {@code application/problem+json} whatever the request accepts: a client that asked
     * for a Server-Sent Event stream still gets the problem as a document, not as an event.
     */
    private static ResponseEntity<ProblemDetail> answer(ProblemDetail problem) {
        return ResponseEntity.status(problem.getStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    static ProblemDetail problem(HttpStatusCode status, String type, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create(TYPE_BASE + type));
        problem.setTitle(title);
        return problem;
    }
}
