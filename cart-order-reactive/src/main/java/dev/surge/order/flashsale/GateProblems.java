package dev.surge.order.flashsale;

import java.net.URI;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import dev.surge.service.web.ProblemHandler;

/**
 * {@link GatePaused} as a {@code 503} problem with {@code Retry-After}, which service-support's
 * {@link ProblemHandler} cannot set (its problems carry no headers). Before it, whose catch-all would
 * take the exception; every other exception passes on to it.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class GateProblems {

    @ExceptionHandler(GatePaused.class)
    ResponseEntity<ProblemDetail> paused(GatePaused paused) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, paused.getMessage());
        problem.setType(URI.create(ProblemHandler.TYPE_BASE + paused.type()));
        problem.setTitle(paused.title());
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, paused.retryAfter().toSeconds())))
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem);
    }
}
