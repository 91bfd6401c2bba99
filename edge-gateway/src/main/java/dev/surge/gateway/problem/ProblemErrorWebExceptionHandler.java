package dev.surge.gateway.problem;

import java.net.ConnectException;
import java.util.concurrent.TimeoutException;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.boot.webflux.error.ErrorWebExceptionHandler;
import org.springframework.cloud.gateway.support.ServiceUnavailableException;
import org.springframework.core.annotation.Order;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.security.oauth2.core.OAuth2AuthorizationException;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponse;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.client.HttpStatusCodeException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebSession;

import dev.surge.gateway.resilience.InstanceFailure;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.lettuce.core.RedisException;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.PrematureCloseException;

/**
 * Every error the gateway itself answers (no route, wrong method, rate limited, a service
 * unreachable or too slow, a bug) leaves as a problem document with a stable type. Replaces Boot's
 * default handler, whose JSON has no type. Errors relayed from a service are the job of
 * {@link ConvertErrorToProblemGatewayFilterFactory}.
 */
@Component
@Order(-2)
class ProblemErrorWebExceptionHandler implements ErrorWebExceptionHandler {

    private static final Log log = LogFactory.getLog(ProblemErrorWebExceptionHandler.class);

    private final ProblemWriter writer;

    ProblemErrorWebExceptionHandler(ProblemWriter writer) {
        this.writer = writer;
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable error) {
        ServerHttpResponse response = exchange.getResponse();
        if (response.isCommitted()) {
            // the status line is gone: nothing to do but let the server drop the connection
            return Mono.error(error);
        }
        ErrorResponse answer = classify(error, Problems.serviceOf(exchange));
        if (answer.getStatusCode().is5xxServerError()) {
            logServerError(exchange, error, answer);
        }
        if (error instanceof OAuth2AuthorizationException) {
            // the session's tokens are gone for good: end the session too, so the app sees "signed out"
            return exchange.getSession().flatMap(WebSession::invalidate).then(Mono.defer(() -> write(exchange, answer)));
        }
        return write(exchange, answer);
    }

    private Mono<Void> write(ServerWebExchange exchange, ErrorResponse answer) {
        ServerHttpResponse response = exchange.getResponse();
        HttpHeaders headers = response.getHeaders();
        headers.remove(HttpHeaders.CONTENT_LENGTH);
        headers.remove(HttpHeaders.CONTENT_TYPE);
        answer.getHeaders().forEach(headers::put);
        return writer.write(exchange, response, answer.getBody());
    }

    /** What the client is told; a known failure of the service behind gets its own status. */
    static ErrorResponse classify(Throwable error, String service) {
        return switch (error) {
            // one instance's failure, which only its breaker counts: told as what it is
            case InstanceFailure onOneInstance -> classify(onOneInstance.getCause(), service);
            // the routing filter's own response timeout: worded like any other timeout, without its settings
            case ResponseStatusException slow when slow.getStatusCode().value() == 504 -> tooSlow(service, slow);
            case ErrorResponse known -> known;
            // the session's tokens could not be refreshed (revoked, rotated away, provider down): sign in again
            // Redis, where browser sessions live, cannot be reached: the shopper can retry shortly
            // (Spring Session reads it through Lettuce directly; Spring Data would translate the error)
            case DataAccessException store -> sessionsUnavailable(store);
            case RedisException store -> sessionsUnavailable(store);
            case OAuth2AuthorizationException expired -> new ErrorResponseException(HttpStatus.UNAUTHORIZED,
                    Problems.of(HttpStatus.UNAUTHORIZED, "Your sign-in has expired; sign in again."), expired);
            case ServiceUnavailableException open -> unavailable(service, "is not taking calls right now", open);
            case CallNotPermittedException open -> unavailable(service, "is not taking calls right now", open);
            case BulkheadFullException full -> unavailable(service, "has too many calls in flight", full);
            // Netty's connect timeout is a ConnectException too
            case ConnectException refused -> unavailable(service, "cannot be reached", refused);
            case HttpStatusCodeException status -> new ErrorResponseException(status.getStatusCode(),
                    Problems.of(status.getStatusCode(), "The " + service + " service answered " + status.getStatusCode().value() + "."),
                    status);
            case PrematureCloseException closed -> new ErrorResponseException(HttpStatus.BAD_GATEWAY,
                    Problems.of(HttpStatus.BAD_GATEWAY, "The " + service + " service closed the connection before answering."),
                    closed);
            case TimeoutException slow -> tooSlow(service, slow);
            case org.springframework.cloud.gateway.support.TimeoutException slow -> tooSlow(service, slow);
            default -> new ErrorResponseException(HttpStatus.INTERNAL_SERVER_ERROR,
                    Problems.of(HttpStatus.INTERNAL_SERVER_ERROR, "The gateway failed to handle this request."), error);
        };
    }

    private static ErrorResponse unavailable(String service, String why, Throwable cause) {
        ProblemDetail problem = Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "The " + service + " service " + why + ".");
        problem.setProperty("service", service);
        return new ErrorResponseException(HttpStatus.SERVICE_UNAVAILABLE, problem, cause);
    }

    private static ErrorResponse sessionsUnavailable(Throwable cause) {
        ErrorResponseException answer = new ErrorResponseException(HttpStatus.SERVICE_UNAVAILABLE,
                Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "Signed-in sessions are unavailable for a moment."), cause);
        answer.getHeaders().set(HttpHeaders.RETRY_AFTER, "1");
        return answer;
    }

    private static ErrorResponse tooSlow(String service, Throwable cause) {
        ProblemDetail problem = Problems.of(HttpStatus.GATEWAY_TIMEOUT, "The " + service + " service did not answer in time.");
        problem.setProperty("service", service);
        return new ErrorResponseException(HttpStatus.GATEWAY_TIMEOUT, problem, cause);
    }

    private static void logServerError(ServerWebExchange exchange, Throwable error, ErrorResponse answer) {
        String request = exchange.getRequest().getMethod() + " " + exchange.getRequest().getPath();
        if (answer.getStatusCode().value() == 500) {
            log.error(exchange.getLogPrefix() + request + " failed", error);
        }
        else if (log.isDebugEnabled()) {
            // a service being away is expected and shows on the breaker metrics; a log line per request would flood
            log.debug(exchange.getLogPrefix() + request + " answered " + answer.getStatusCode() + ": " + error);
        }
    }
}
