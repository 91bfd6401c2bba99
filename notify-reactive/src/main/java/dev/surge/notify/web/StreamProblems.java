package dev.surge.notify.web;

import java.net.URI;
import java.util.List;
import java.util.Map;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import dev.surge.notify.live.StreamLimits;
import dev.surge.service.web.Conflict;
import dev.surge.service.web.InvalidParameter;
import dev.surge.service.web.NotFound;
import dev.surge.service.web.ProblemHandler;

/**
 * The refusals of the stream endpoints, as the same problems service-support's {@link ProblemHandler}
 * writes, but with {@code application/problem+json} set on the answer: an {@code EventSource} asks for
 * {@code text/event-stream} only, and content negotiation would otherwise write the problem as an event
 * stream. A full instance is {@code 503} with {@code Retry-After}. Before {@link ProblemHandler}, whose
 * catch-all would take them.
 */
@RestControllerAdvice(assignableTypes = { OrderEventsController.class, OpsStreamsController.class })
@Order(Ordered.HIGHEST_PRECEDENCE)
class StreamProblems {

    @ExceptionHandler(NotFound.class)
    ResponseEntity<ProblemDetail> notFound(NotFound e) {
        return answer(problem(HttpStatus.NOT_FOUND, e.kind().replace(' ', '-') + "-not-found",
                Character.toUpperCase(e.kind().charAt(0)) + e.kind().substring(1) + " not found", e.getMessage()));
    }

    @ExceptionHandler(InvalidParameter.class)
    ResponseEntity<ProblemDetail> invalidParameter(InvalidParameter e) {
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request", e.getMessage());
        problem.setProperty("errors", List.of(Map.of("field", e.parameter(), "message", e.getMessage())));
        return answer(problem);
    }

    @ExceptionHandler(Conflict.class)
    ResponseEntity<ProblemDetail> limit(Conflict e) {
        ProblemDetail problem = problem(e.status(), e.type(), e.title(), e.getMessage());
        e.properties().forEach(problem::setProperty);
        return answer(problem);
    }

    @ExceptionHandler(StreamLimits.InstanceFull.class)
    ResponseEntity<ProblemDetail> instanceFull(StreamLimits.InstanceFull full) {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, Long.toString(full.retryAfterSeconds()))
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem(HttpStatus.SERVICE_UNAVAILABLE, "streams-full", "Streams full", full.getMessage()));
    }

    private static ResponseEntity<ProblemDetail> answer(ProblemDetail problem) {
        return ResponseEntity.status(problem.getStatus())
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem);
    }

    private static ProblemDetail problem(HttpStatusCode status, String type, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create(ProblemHandler.TYPE_BASE + type));
        problem.setTitle(title);
        return problem;
    }
}
