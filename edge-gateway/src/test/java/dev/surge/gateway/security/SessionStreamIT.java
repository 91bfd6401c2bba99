package dev.surge.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.reactive.function.client.WebClient;

import dev.surge.testsupport.Browser;
import dev.surge.testsupport.IntegrationTest;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.ChannelOption;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.test.StepVerifier;

/**
 * A signed-in browser's order-status stream through the gateway, with nothing but its session cookie
 * (what {@code EventSource} sends), against a Reactor Netty server standing in for notify that does
 * what notify does on a quiet order: an opening comment, then only a heartbeat comment every 15 s. The
 * stream outlives 60 s of that silence (the idle timeout of common proxies, six times the gateway's
 * response timeout), carries the shopper's relayed token and no cookie to the service, and the event
 * that finally comes reaches the browser.
 */
@IntegrationTest(database = false, kafka = false)
class SessionStreamIT {

    private static final Duration HEARTBEAT = Duration.ofSeconds(15);
    private static final int HEARTBEATS = 5;

    private static final AtomicReference<String> RELAYED_AUTHORIZATION = new AtomicReference<>();
    private static final AtomicReference<String> RELAYED_COOKIE = new AtomicReference<>();

    private static final DisposableServer NOTIFY = HttpServer.create()
            .host("127.0.0.1")
            .port(0)
            // events are written from Reactor timer threads: plain heap buffers never wait on a pool's lock
            .childOption(ChannelOption.ALLOCATOR, UnpooledByteBufAllocator.DEFAULT)
            .route(routes -> routes.get("/api/orders/events", (request, response) -> {
                RELAYED_AUTHORIZATION.set(request.requestHeaders().get(HttpHeaders.AUTHORIZATION));
                RELAYED_COOKIE.set(request.requestHeaders().get(HttpHeaders.COOKIE));
                return response.header(HttpHeaders.CONTENT_TYPE, MediaType.TEXT_EVENT_STREAM_VALUE)
                        .sendString(Flux.concat(
                                Mono.just(": stream open\nretry:3000\n\n"),
                                Flux.interval(HEARTBEAT).take(HEARTBEATS).map(tick -> ":heartbeat\n\n"),
                                Mono.just("id:7\nevent:order\ndata:{\"status\":\"CONFIRMED\"}\n\n")))
                        .then();
            }))
            .bindNow();

    @Value("${local.server.port}")
    int port;

    @DynamicPropertySource
    static void upstreams(DynamicPropertyRegistry registry) {
        registry.add("surge.services.notify", () -> "http://127.0.0.1:" + NOTIFY.port());
        registry.add("surge.services.cart-order", () -> "http://127.0.0.1:" + NOTIFY.port());
    }

    @AfterAll
    static void stop() {
        NOTIFY.disposeNow();
    }

    @Test
    void aSignedInBrowsersStreamOutlivesAMinuteOfHeartbeatsWithItsSessionCookie() {
        Browser browser = new Browser();
        String gateway = "http://127.0.0.1:" + port;
        assertThat(browser.signIn(gateway, "alice", "{\"email\":\"alice@surge.test\"}").statusCode()).isEqualTo(302);
        String session = browser.cookie(gateway + "/", "SURGE_SESSION");
        assertThat(session).isNotNull();

        Mono<List<ServerSentEvent<String>>> stream = WebClient.create(gateway).get().uri("/api/orders/events")
                .header(HttpHeaders.COOKIE, "SURGE_SESSION=" + session)
                .accept(MediaType.TEXT_EVENT_STREAM)
                .retrieve()
                .bodyToFlux(new ParameterizedTypeReference<ServerSentEvent<String>>() {
                })
                .collectList();

        StepVerifier.create(stream)
                .assertNext(events -> {
                    assertThat(events).filteredOn(event -> "heartbeat".equals(event.comment())).hasSize(HEARTBEATS);
                    assertThat(events.getLast().event()).isEqualTo("order");
                    assertThat(events.getLast().id()).isEqualTo("7");
                    assertThat(events.getLast().data()).contains("CONFIRMED");
                })
                .expectComplete()
                .verify(HEARTBEAT.multipliedBy(HEARTBEATS + 2));
        assertThat(RELAYED_AUTHORIZATION.get()).as("the session's access token, relayed").startsWith("Bearer ey");
        assertThat(RELAYED_COOKIE.get()).as("the cookie stays at the gateway").isNull();
    }
}
