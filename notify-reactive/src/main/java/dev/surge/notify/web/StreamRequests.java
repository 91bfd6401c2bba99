package dev.surge.notify.web;

import java.util.Optional;

import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.server.ServerWebExchange;

import dev.surge.service.web.InvalidParameter;
import reactor.netty.NettyInbound;

/** What every stream endpoint reads from its request. */
final class StreamRequests {

    private static final int MAX_ID_LENGTH = 18;

    private StreamRequests() {
    }

    /** {@code Last-Event-ID}: absent, or one of our ids (a whole number); anything else is a {@code 400}. */
    static Optional<Long> lastEventId(String header) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        String value = header.strip();
        if (value.length() > MAX_ID_LENGTH || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new InvalidParameter(OrderEventsController.LAST_EVENT_ID, "must be the id of an event of this stream (a whole number)");
        }
        return Optional.of(Long.parseLong(value));
    }

    /**
     * Closes the client's connection itself: when a client falls behind, the response's own error
     * signal would wait behind the data it does not read, so the socket is closed instead.
     */
    static Runnable disconnect(ServerWebExchange exchange) {
        Object request = ServerHttpRequestDecorator.getNativeRequest(exchange.getRequest());
        if (request instanceof NettyInbound inbound) {
            return () -> inbound.withConnection(connection -> connection.channel().close());
        }
        // another server than Reactor Netty: the stream still ends (its buffer completes), the socket closes with it
        return () -> { };
    }
}
