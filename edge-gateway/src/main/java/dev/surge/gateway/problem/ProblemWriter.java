package dev.surge.gateway.problem;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes a problem document as the whole response. Fills what a problem must carry and a thrower
 * may have left out (stable type, title, the request path as {@code instance}), and drops the
 * headers that described a body we are replacing.
 */
@Component
class ProblemWriter {

    private static final URI BLANK = URI.create("about:blank");

    private final JsonMapper json;

    ProblemWriter(JsonMapper json) {
        this.json = json;
    }

    Mono<Void> write(ServerWebExchange exchange, ServerHttpResponse response, ProblemDetail problem) {
        byte[] body = json.writeValueAsBytes(document(exchange, problem));
        HttpHeaders headers = response.getHeaders();
        headers.remove(HttpHeaders.CONTENT_ENCODING);
        headers.remove(HttpHeaders.TRANSFER_ENCODING);
        headers.remove(HttpHeaders.ETAG);
        headers.remove(HttpHeaders.LAST_MODIFIED);
        headers.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        headers.setContentLength(body.length);
        response.setStatusCode(HttpStatusCode.valueOf(problem.getStatus()));
        return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
    }

    /** RFC 9457 members first, extension members after, as a flat JSON object. */
    private static Map<String, Object> document(ServerWebExchange exchange, ProblemDetail problem) {
        HttpStatusCode status = HttpStatusCode.valueOf(problem.getStatus());
        Map<String, Object> document = new LinkedHashMap<>();
        boolean untyped = problem.getType() == null || BLANK.equals(problem.getType());
        document.put("type", untyped ? Problems.typeFor(status) : problem.getType());
        document.put("title", problem.getTitle() != null ? problem.getTitle() : title(status));
        document.put("status", status.value());
        if (problem.getDetail() != null) {
            document.put("detail", problem.getDetail());
        }
        document.put("instance", problem.getInstance() != null ? problem.getInstance() : exchange.getRequest().getPath().value());
        if (problem.getProperties() != null) {
            problem.getProperties().forEach(document::putIfAbsent);
        }
        return document;
    }

    private static String title(HttpStatusCode status) {
        HttpStatus known = HttpStatus.resolve(status.value());
        return known != null ? known.getReasonPhrase() : "HTTP " + status.value();
    }
}
