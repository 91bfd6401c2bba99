package dev.surge.gateway.resilience;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;

import dev.surge.gateway.redis.RedisKeys;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * The last good answer per normalised path and query ({@link LastGoodKeys}), in Redis so that every
 * gateway instance can serve what any of them relayed. One JSON string per key with a TTL. Every
 * copy is written by one Lua script that also keeps the books (an index of copies by write time,
 * their sizes, the total) and drops the oldest copies past the count or byte budget: a copy is
 * always whole, and all of them together never outgrow the budget, whoever sends what.
 */
@Component
class RedisLastGoodResponses {

    private static final Log log = LogFactory.getLog(RedisLastGoodResponses.class);

    private final ReactiveStringRedisTemplate redis;
    private final JsonMapper json;
    private final RedisKeys keys;
    private final ResilienceProperties.LastGood settings;
    private final RedisScript<Long> script;
    private final String index;
    private final String sizes;
    private final String totalBytes;

    RedisLastGoodResponses(ReactiveStringRedisTemplate redis, JsonMapper json, RedisKeys keys,
            ResilienceProperties properties) {
        this.redis = redis;
        this.json = json;
        this.keys = keys;
        this.settings = properties.lastGood();
        this.index = keys.key("last-good-books", "index");
        this.sizes = keys.key("last-good-books", "sizes");
        this.totalBytes = keys.key("last-good-books", "bytes");
        // read once at start-up: a classpath read on a request's event loop would block it
        this.script = RedisScript.of(load("save-last-good.lua"), Long.class);
    }

    /** The key of a request's copy, if its answer is one to keep (see {@link LastGoodKeys}). */
    Optional<String> keyFor(ServerHttpRequest request) {
        return LastGoodKeys.of(request)
                .map(pathAndQuery -> keys.key("last-good", pathAndQuery));
    }

    Mono<Void> save(String key, LastGoodResponse response) {
        return Mono.fromCallable(() -> json.writeValueAsString(response))
                .flatMap(value -> redis.execute(script, List.of(key, index, sizes, totalBytes), List.of(value,
                        Long.toString(settings.ttl().toMillis()), Integer.toString(settings.maxCopies()),
                        Long.toString(settings.maxTotalSize().toBytes()))).next())
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

    private static String load(String name) {
        try {
            return new ClassPathResource(name, RedisLastGoodResponses.class).getContentAsString(StandardCharsets.UTF_8);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
