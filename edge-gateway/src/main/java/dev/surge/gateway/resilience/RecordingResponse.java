package dev.surge.gateway.resilience;

import java.time.Clock;
import java.util.List;
import java.util.Locale;

import org.reactivestreams.Publisher;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Relays a service's answer to a GET and keeps a copy of it when it is one a shared cache may keep
 * (RFC 9111, section 3): a 200 with a type and a known body, not {@code no-store} or
 * {@code private}, no cookie, and, if the request was authorized, marked {@code public}. So the
 * copy served later to anyone is never something only one client may see.
 */
final class RecordingResponse extends ServerHttpResponseDecorator {

    private final String key;
    private final boolean authorizedRequest;
    private final RedisLastGoodResponses lastGood;
    private final RecentWrites recentWrites;
    private final int maxBodyBytes;
    private final Clock clock;

    RecordingResponse(ServerHttpResponse delegate, String key, boolean authorizedRequest,
            RedisLastGoodResponses lastGood, RecentWrites recentWrites, int maxBodyBytes, Clock clock) {
        super(delegate);
        this.key = key;
        this.authorizedRequest = authorizedRequest;
        this.lastGood = lastGood;
        this.recentWrites = recentWrites;
        this.maxBodyBytes = maxBodyBytes;
        this.clock = clock;
    }

    @Override
    public Mono<Void> writeWith(Publisher<? extends DataBuffer> body) {
        if (!worthKeeping() || !recentWrites.claim(key)) {
            return super.writeWith(body);
        }
        String contentType = getHeaders().getContentType().toString();
        BodyCopy copy = new BodyCopy(maxBodyBytes);
        return super.writeWith(Flux.from(body).doOnNext(copy::append))
                .then(Mono.defer(() -> keep(contentType, copy)));
    }

    private Mono<Void> keep(String contentType, BodyCopy copy) {
        return copy.body()
                .map(bytes -> lastGood.save(key, new LastGoodResponse(contentType, clock.instant(), bytes)))
                .orElse(Mono.empty());
    }

    private boolean worthKeeping() {
        HttpHeaders headers = getHeaders();
        MediaType contentType = headers.getContentType();
        long length = headers.getContentLength();
        String cacheControl = String.join(",", headers.getOrEmpty(HttpHeaders.CACHE_CONTROL));
        return HttpStatus.OK.equals(getStatusCode())
                && contentType != null
                && length <= maxBodyBytes
                && !MediaType.TEXT_EVENT_STREAM.isCompatibleWith(contentType)
                && !has(cacheControl, "no-store")
                && !has(cacheControl, "private")
                && !headers.containsHeader(HttpHeaders.SET_COOKIE)
                && (!authorizedRequest || has(cacheControl, "public"));
    }

    private static boolean has(String cacheControl, String directive) {
        return List.of(cacheControl.toLowerCase(Locale.ROOT).split(","))
                .stream()
                .map(String::trim)
                .anyMatch(token -> token.equals(directive) || token.startsWith(directive + "="));
    }
}
