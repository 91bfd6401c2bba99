package dev.surge.notify.web;

import java.net.URI;
import java.util.List;
import java.util.Map;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.reactive.function.server.ServerResponse;

import dev.surge.notify.live.StreamLimits;
import dev.surge.service.web.Conflict;
import dev.surge.service.web.InvalidParameter;
import dev.surge.service.web.NotFound;
import dev.surge.service.web.ProblemHandler;
import reactor.core.publisher.Mono;

/**
 * The refusals of the stream endpoints ({@link StreamRoutes}), as the same problems service-support's
 * {@link ProblemHandler} writes, with {@code application/problem+json} set on the answer: an
 * {@code EventSource} asks for {@code text/event-stream} only. A full instance is {@code 503} with
 * {@code Retry-After}; a missing or invalid token {@code 401} with {@code WWW-Authenticate}. Anything else
 * goes on to the service's error handling.
 */
final class StreamProblems {

    private StreamProblems() {
    }

    /** The problem for a refusal, its {@code instance} the request's path; any other failure goes on as it is. */
    static Mono<ServerResponse> answer(Throwable failure, String path) {
        URI instance = URI.create(path);
        return switch (failure) {
            case NotFound e -> problem(problem(instance, HttpStatus.NOT_FOUND, e.kind().replace(' ', '-') + "-not-found",
                    Character.toUpperCase(e.kind().charAt(0)) + e.kind().substring(1) + " not found", e.getMessage()));
            case InvalidParameter e -> {
                ProblemDetail problem = problem(instance, HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request", e.getMessage());
                problem.setProperty("errors", List.of(Map.of("field", e.parameter(), "message", e.getMessage())));
                yield problem(problem);
            }
            case Conflict e -> {
                ProblemDetail problem = problem(instance, e.status(), e.type(), e.title(), e.getMessage());
                e.properties().forEach(problem::setProperty);
                yield problem(problem);
            }
            case StreamLimits.InstanceFull full -> ServerResponse.status(HttpStatus.SERVICE_UNAVAILABLE)
                    .header(HttpHeaders.RETRY_AFTER, Long.toString(full.retryAfterSeconds()))
                    .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .bodyValue(problem(instance, HttpStatus.SERVICE_UNAVAILABLE, "streams-full", "Streams full", full.getMessage()));
            case StreamCallers.Unauthenticated e -> ServerResponse.status(HttpStatus.UNAUTHORIZED)
                    .header(HttpHeaders.WWW_AUTHENTICATE, e.wwwAuthenticate())
                    .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .bodyValue(problem(instance, HttpStatus.UNAUTHORIZED, "unauthorized", "Unauthorized", e.getMessage()));
            case StreamCallers.Forbidden e -> problem(problem(instance, HttpStatus.FORBIDDEN, "forbidden", "Forbidden", e.getMessage()));
            default -> Mono.error(failure);
        };
    }

    private static Mono<ServerResponse> problem(ProblemDetail problem) {
        return ServerResponse.status(problem.getStatus())
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .bodyValue(problem);
    }

    private static ProblemDetail problem(URI instance, HttpStatusCode status, String type, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setInstance(instance);
        problem.setType(URI.create(ProblemHandler.TYPE_BASE + type));
        problem.setTitle(title);
        return problem;
    }
}
