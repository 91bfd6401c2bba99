package dev.surge.gateway.resilience;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;

import dev.surge.gateway.redis.RedisKeys;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * The last good answer per path and query, in Redis so that every gateway instance can serve what
 * any of them relayed. One JSON string per key with a TTL, written in one command: a copy is always
 * whole.
 */
@Component
class RedisLastGoodResponses {

    private static final Log log = LogFactory.getLog(RedisLastGoodResponses.class);

    private final ReactiveStringRedisTemplate redis;
    private final JsonMapper json;
    private final RedisKeys keys;
    private final ResilienceProperties.LastGood settings;

    RedisLastGoodResponses(ReactiveStringRedisTemplate redis, JsonMapper json, RedisKeys keys,
            ResilienceProperties properties) {
        this.redis = redis;
        this.json = json;
        this.keys = keys;
        this.settings = properties.lastGood();
    }

    /** The key of a request's copy: its raw path and query, as the client sent them. */
    String keyFor(ServerHttpRequest request) {
        String query = request.getURI().getRawQuery();
        return keys.key("last-good", request.getURI().getRawPath() + (query == null ? "" : "?" + query));
    }

    Mono<Void> save(String key, LastGoodResponse response) {
        return Mono.fromCallable(() -> json.writeValueAsString(response))
                .flatMap(value -> redis.opsForValue().set(key, value, settings.ttl()))
                .timeout(settings.redisTimeout())
                .then()
                // best effort: without Redis the shopper still gets the fresh answer, only the fallback copy ages
                .onErrorResume(error -> {
                    log.debug("could not keep the last good answer for " + key + ": " + error);
                    return Mono.empty();
                });
    }

    Mono<LastGoodResponse> find(String key) {
        return redis.opsForValue()
                .get(key)
                .timeout(settings.redisTimeout())
                .map(value -> json.readValue(value, LastGoodResponse.class))
                // without Redis there is no copy to serve: the caller answers 503 as for a path never served
                .onErrorResume(error -> {
                    log.debug("could not read the last good answer for " + key + ": " + error);
                    return Mono.empty();
                });
    }
}
