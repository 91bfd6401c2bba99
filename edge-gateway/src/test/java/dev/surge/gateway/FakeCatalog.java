package dev.surge.gateway;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.NettyOutbound;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * A real HTTP server standing in for the catalog service, which a test can stop, start again on
 * the same port, slow down, or turn unhealthy. Every JSON answer carries a {@code generation} the
 * test can bump, to tell a fresh answer from a kept one.
 */
public final class FakeCatalog implements AutoCloseable {

    /** The problem catalog answers for an unknown product; the gateway must relay it byte for byte. */
    public static final String PRODUCT_NOT_FOUND = "{\"type\":\"https://surge.dev/problems/product-not-found\","
            + "\"title\":\"Product not found\",\"status\":404,\"detail\":\"No product missing\",\"sku\":\"missing\"}";

    public static final byte[] IMAGE = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 13, 'I', 'H', 'D', 'R'};

    private final Set<Channel> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger generation = new AtomicInteger(1);
    private volatile Duration delay = Duration.ZERO;
    private volatile CountDownGate gate;
    private volatile HttpResponseStatus failure;
    private volatile DisposableServer server;
    private volatile int port;

    private FakeCatalog() {
    }

    public static FakeCatalog start() {
        FakeCatalog catalog = new FakeCatalog();
        catalog.bind(0);
        return catalog;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** Back to healthy: answers at once, no forced failure; the server runs. */
    public void reset() {
        delay = Duration.ZERO;
        failure = null;
        gate = null;
        if (server == null) {
            bind(port);
        }
    }

    /** As when the process dies: open connections drop, new ones are refused. */
    public void stop() {
        if (server != null) {
            server.disposeNow();
            server = null;
        }
        // disposing the server stops it listening, but the gateway's pooled keep-alive connections would live on
        open.forEach(Channel::close);
        open.clear();
    }

    /** As when it comes back after a deploy: same port, new data generation. */
    public void restart() {
        generation.incrementAndGet();
        bind(port);
    }

    public void answerAfter(Duration delay) {
        this.delay = delay;
    }

    /**
     * Holds every answer until this many requests are waiting at once, or until {@code atMost} has
     * passed, then gives them all; {@link #heldAtOnce()} says how many were held together, which is
     * proof of how many calls were in flight at once, whatever the machine's speed.
     */
    public void answerOnceInFlight(int requests, Duration atMost) {
        this.gate = new CountDownGate(requests, atMost);
    }

    /** How many requests the last {@link #answerOnceInFlight} gate held at once before it opened. */
    public int heldAtOnce() {
        CountDownGate last = gate;
        return last == null ? 0 : last.heldWhenOpened();
    }

    /** Answers every product request with this status and a plain-text body, as a sick service behind a proxy. */
    public void failWith(HttpResponseStatus status) {
        this.failure = status;
    }

    public int generation() {
        return generation.get();
    }

    @Override
    public void close() {
        stop();
    }

    private synchronized void bind(int wantedPort) {
        server = HttpServer.create()
                .host("127.0.0.1")
                .port(wantedPort)
                // a delayed answer is written from a Reactor timer thread, where Netty's pooled allocator shares
                // its arenas behind a lock that can park (BlockHound says so); plain heap buffers never wait
                .childOption(ChannelOption.ALLOCATOR, UnpooledByteBufAllocator.DEFAULT)
                // the channel, not the connection: a keep-alive channel outlives each request's connection object
                .doOnConnection(connection -> {
                    Channel channel = connection.channel();
                    open.add(channel);
                    channel.closeFuture().addListener(closed -> open.remove(channel));
                })
                .route(routes -> routes
                        .get("/api/products/search", (request, response) -> json(response,
                                "{\"q\":\"" + param(request, "q") + "\",\"items\":[],\"generation\":" + generation.get() + "}"))
                        .get("/api/products/broken", (request, response) -> response
                                .status(HttpResponseStatus.INTERNAL_SERVER_ERROR)
                                .header("content-type", "text/plain")
                                .sendString(Mono.just("boom: NullPointerException at line 42")))
                        .get("/api/products/missing", (request, response) -> response
                                .status(HttpResponseStatus.NOT_FOUND)
                                .header("content-type", "application/problem+json")
                                .sendString(Mono.just(PRODUCT_NOT_FOUND)))
                        .get("/api/products/{sku}", (request, response) -> json(response,
                                "{\"sku\":\"" + request.param("sku") + "\",\"uri\":\"" + request.uri()
                                        + "\",\"generation\":" + generation.get() + "}"))
                        .get("/api/categories", (request, response) -> json(response,
                                "[{\"slug\":\"phones\",\"generation\":" + generation.get() + "}]"))
                        .get("/images/{name}", (request, response) -> response
                                .header("content-type", "image/png")
                                .sendByteArray(later(IMAGE)))
                        .post("/api/admin/products", (request, response) -> json(response, "{\"created\":true}")))
                .bindNow();
        port = server.port();
    }

    private NettyOutbound json(HttpServerResponse response, String body) {
        HttpResponseStatus failing = failure;
        if (failing != null) {
            return response.status(failing)
                    .header("content-type", "text/plain")
                    .sendString(later("upstream says " + failing));
        }
        return response.header("content-type", "application/json").sendString(later(body));
    }

    /** Reactor Netty sends the headers with the first body element, so delaying the body delays the whole answer. */
    private <T> Mono<T> later(T body) {
        Duration wait = delay;
        Mono<T> answer = wait.isZero() ? Mono.just(body) : Mono.delay(wait).thenReturn(body);
        CountDownGate waiting = gate;
        return waiting == null ? answer : waiting.pass().then(answer);
    }

    /** Opens once its count of requests has arrived, or at its deadline; every one of them waits until then. */
    private static final class CountDownGate {

        private final int requests;
        private final AtomicInteger arrived = new AtomicInteger();
        private final CompletableFuture<Integer> open = new CompletableFuture<>();

        CountDownGate(int requests, Duration atMost) {
            this.requests = requests;
            // a deadline below the gateway's time limit: a slow machine gets fewer held at once, not timeouts
            CompletableFuture.delayedExecutor(atMost.toMillis(), TimeUnit.MILLISECONDS)
                    .execute(() -> open.complete(arrived.get()));
        }

        Mono<Void> pass() {
            int count = arrived.incrementAndGet();
            if (count >= requests) {
                open.complete(count);
            }
            return Mono.fromFuture(open, true).then();
        }

        int heldWhenOpened() {
            return open.getNow(0);
        }
    }

    private static String param(HttpServerRequest request, String name) {
        Map<String, List<String>> parameters = new QueryStringDecoder(request.uri()).parameters();
        return parameters.getOrDefault(name, List.of("")).getFirst();
    }
}
