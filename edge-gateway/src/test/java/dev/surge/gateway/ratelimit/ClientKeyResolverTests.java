package dev.surge.gateway.ratelimit;

import java.net.InetSocketAddress;
import java.security.Principal;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

import reactor.test.StepVerifier;

class ClientKeyResolverTests {

    private final ClientKeyResolver clients = new ClientKeyResolver();

    private final MockServerHttpRequest.BaseBuilder<?> request = MockServerHttpRequest.get("/api/products/search")
            .remoteAddress(new InetSocketAddress("203.0.113.9", 50123));

    @Test
    void countsAnAuthenticatedClientByItsName() {
        Principal alice = () -> "alice";
        MockServerWebExchange exchange = MockServerWebExchange.builder(request.build()).principal(alice).build();

        StepVerifier.create(clients.resolve(exchange))
                .expectNext("user:alice")
                .verifyComplete();
    }

    @Test
    void countsAnAnonymousClientByItsAddress() {
        StepVerifier.create(clients.resolve(MockServerWebExchange.from(request)))
                .expectNext("ip:203.0.113.9")
                .verifyComplete();
    }

    @Test
    void neverTrustsTheSubjectOfAnUnverifiedToken() {
        // {"sub":"mallory"}, unsigned: anyone can mint one per request
        MockServerHttpRequest forged = MockServerHttpRequest.get("/api/products/search")
                .remoteAddress(new InetSocketAddress("203.0.113.9", 50123))
                .header(HttpHeaders.AUTHORIZATION, "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJtYWxsb3J5In0.")
                .build();

        StepVerifier.create(clients.resolve(MockServerWebExchange.from(forged)))
                .expectNext("ip:203.0.113.9")
                .verifyComplete();
    }
}
