package dev.surge.gateway.resilience;

import java.time.Duration;

import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes a kept answer in place of one the service could not give, marked so that neither a
 * person nor a program mistakes it for fresh: header {@code X-Surge-Stale: true}, {@code Age} in
 * seconds since the gateway relayed it, and, in a JSON object body, {@code "stale": true}. It is
 * {@code no-store}, so no cache keeps the stale copy beyond this answer.
 */
@Component
class StaleAnswers {

    static final String STALE_HEADER = "X-Surge-Stale";

    private final JsonMapper json;

    StaleAnswers(JsonMapper json) {
        this.json = json;
    }

    Mono<Void> write(ServerWebExchange exchange, LastGoodResponse stored, Duration age) {
        ServerHttpResponse response = exchange.getResponse();
        MediaType contentType = MediaType.parseMediaType(stored.contentType());
        byte[] body = marked(contentType, stored.body());
        HttpHeaders headers = response.getHeaders();
        // whatever the failed call left (a 503's headers, a length) describes another answer
        headers.clear();
        headers.setContentType(contentType);
        headers.setContentLength(body.length);
        headers.set(STALE_HEADER, "true");
        headers.set(HttpHeaders.AGE, Long.toString(Math.max(0, age.toSeconds())));
        headers.setCacheControl(CacheControl.noStore());
        response.setStatusCode(HttpStatus.OK);
        return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
    }

    /** A JSON object gains {@code "stale": true}; any other body (an array, an image) is served as kept. */
    private byte[] marked(MediaType contentType, byte[] body) {
        if (!isJson(contentType)) {
            return body;
        }
        try {
            JsonNode tree = json.readTree(body);
            if (tree instanceof ObjectNode object) {
                object.put("stale", true);
                return json.writeValueAsBytes(object);
            }
            return body;
        }
        catch (JacksonException notJson) {
            return body;
        }
    }

    private static boolean isJson(MediaType contentType) {
        return MediaType.APPLICATION_JSON.isCompatibleWith(contentType)
                || contentType.getSubtype().endsWith("+json");
    }
}
