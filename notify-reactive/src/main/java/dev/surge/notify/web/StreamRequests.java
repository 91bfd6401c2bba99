package dev.surge.notify.web;

import java.util.Optional;

import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.server.ServerWebExchange;

import dev.surge.notify.live.StreamClient;
import dev.surge.service.web.InvalidParameter;
import io.netty.channel.Channel;
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
            throw new InvalidParameter(StreamRoutes.LAST_EVENT_ID, "must be the id of an event of this stream (a whole number)");
        }
        return Optional.of(Long.parseLong(value));
    }

    /**
     * The client's connection: closed itself when the client falls behind (the response's own error signal
     * would wait behind the data it does not read), and its event loop, on which its stream is fed.
     */
    static StreamClient client(ServerWebExchange exchange) {
        Object request = ServerHttpRequestDecorator.getNativeRequest(exchange.getRequest());
        if (request instanceof NettyInbound inbound) {
            Channel[] channel = new Channel[1];
            inbound.withConnection(connection -> channel[0] = connection.channel());
            return new StreamClient(() -> channel[0].close(), channel[0].eventLoop());
        }
        // another server than Reactor Netty: the stream still ends (its buffer completes), the socket closes with it
        return StreamClient.direct(() -> { });
    }
}
