package dev.surge.gateway.security;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.netty.handler.codec.http.HttpHeaderNames;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.LoopResources;

/**
 * A real HTTP server standing in for a service behind the gateway: it answers 200 to everything
 * and records what reached it, so a test can see which requests got through and with which
 * {@code Authorization} and {@code Cookie} headers.
 */
final class EchoService implements AutoCloseable {

    /** One request as the service received it. */
    record Received(String method, String uri, String authorization, String cookie) {
    }

    private final List<Received> received = new CopyOnWriteArrayList<>();
    // its own event loop, not Reactor Netty's shared one: a gateway context that closes disposes
    // the shared loops, and with them any server still running on them
    private final LoopResources loops = LoopResources.create("echo-service", 1, true);
    private final DisposableServer server;

    EchoService() {
        server = HttpServer.create()
                .runOn(loops)
                .host("127.0.0.1")
                .port(0)
                .handle((request, response) -> {
                    received.add(new Received(request.method().name(), request.uri(),
                            request.requestHeaders().get(HttpHeaderNames.AUTHORIZATION),
                            request.requestHeaders().get(HttpHeaderNames.COOKIE)));
                    return response.header(HttpHeaderNames.CONTENT_TYPE, "application/json")
                            .sendString(Mono.just("{\"echo\":\"" + request.method().name() + " " + request.path() + "\"}"),
                                    StandardCharsets.UTF_8)
                            .then();
                })
                .bindNow();
    }

    String url() {
        return "http://127.0.0.1:" + server.port();
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    Received last() {
        return received.getLast();
    }

    void forget() {
        received.clear();
    }

    @Override
    public void close() {
        server.disposeNow();
        loops.dispose();
    }
}
