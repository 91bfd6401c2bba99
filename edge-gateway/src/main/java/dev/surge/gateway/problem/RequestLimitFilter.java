package dev.surge.gateway.problem;

import java.util.concurrent.atomic.AtomicLong;

import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Refuses requests larger than {@link RequestLimitsProperties} allow, with a problem document: a
 * URI too long is a 414, a body too large a 413. A declared {@code Content-Length} is refused before
 * anything is read or routed; a body without one (chunked) is counted as it streams and cut off with
 * the same 413 once it passes the limit. First of all filters, so no session, token check or service
 * ever sees such a request.
 */
@Component
class RequestLimitFilter implements WebFilter, Ordered {

    /** Ahead of everything else, the sign-in limit (-150) and the security chain (-100) included. */
    static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 10;

    private final RequestLimitsProperties limits;

    RequestLimitFilter(RequestLimitsProperties limits) {
        this.limits = limits;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        if (targetLength(request) > limits.maxUriLength()) {
            return Mono.error(refused(HttpStatus.URI_TOO_LONG, "The request's URI is longer than "
                    + limits.maxUriLength() + " characters."));
        }
        long maxBytes = limits.maxBodySize().toBytes();
        long declared = request.getHeaders().getContentLength();
        if (declared > maxBytes) {
            return Mono.error(tooLarge(maxBytes));
        }
        if (declared >= 0) {
            return chain.filter(exchange);
        }
        return chain.filter(exchange.mutate().request(new CountedBody(request, maxBytes)).build());
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    private static int targetLength(ServerHttpRequest request) {
        String query = request.getURI().getRawQuery();
        return request.getURI().getRawPath().length() + (query == null ? 0 : query.length() + 1);
    }

    static ErrorResponseException tooLarge(long maxBytes) {
        return refused(HttpStatus.CONTENT_TOO_LARGE, "The request's body is larger than " + maxBytes + " bytes.");
    }

    private static ErrorResponseException refused(HttpStatus status, String detail) {
        return new ErrorResponseException(status, Problems.of(status, detail), null);
    }

    /** A body of unknown length, failed with a 413 as soon as more than the limit has arrived. */
    private static final class CountedBody extends ServerHttpRequestDecorator {

        private final long maxBytes;

        CountedBody(ServerHttpRequest delegate, long maxBytes) {
            super(delegate);
            this.maxBytes = maxBytes;
        }

        @Override
        public Flux<DataBuffer> getBody() {
            return Flux.defer(() -> {
                AtomicLong seen = new AtomicLong();
                return super.getBody()
                        .handle((buffer, sink) -> {
                            if (seen.addAndGet(buffer.readableByteCount()) > maxBytes) {
                                DataBufferUtils.release(buffer);
                                sink.error(tooLarge(maxBytes));
                                return;
                            }
                            sink.next(buffer);
                        });
            });
        }
    }
}
