package dev.surge.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.oauth2.client.OAuth2AuthorizeRequest;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.ReactiveOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebSession;
import org.springframework.web.server.session.InMemoryWebSessionStore;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

/**
 * The single-flight logic alone, with a stand-in for the authorization that counts its calls and
 * answers only when the test opens its gate: no timing, so no race with the clock.
 */
class OneRefreshPerSessionTests {

    private static final ClientRegistration CLIENT = ClientRegistration.withRegistrationId("surge")
            .clientId("surge-web").authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
            .redirectUri("{baseUrl}/login/oauth2/code/surge").authorizationUri("http://idp.test/authorize")
            .tokenUri("http://idp.test/token").build();

    private final AtomicInteger refreshes = new AtomicInteger();
    private volatile Sinks.Empty<Void> gate = Sinks.empty();
    private final ReactiveOAuth2AuthorizedClientManager slowRefresh = request -> Mono.defer(() -> {
        int refresh = refreshes.incrementAndGet();
        return gate.asMono().then(Mono.fromSupplier(() -> new OAuth2AuthorizedClient(CLIENT, "alice",
                new OAuth2AccessToken(OAuth2AccessToken.TokenType.BEARER, "token-" + refresh, Instant.now(),
                        Instant.now().plusSeconds(300)))));
    });
    private final OneRefreshPerSession manager = new OneRefreshPerSession(slowRefresh);
    private final InMemoryWebSessionStore sessions = new InMemoryWebSessionStore();

    @Test
    void concurrentRequestsOfOneSessionShareOneRefresh() {
        WebSession session = sessions.createWebSession().block();
        StepVerifier.create(Flux.range(0, 10)
                        .flatMap(i -> manager.authorize(request(session)))
                        .map(client -> client.getAccessToken().getTokenValue())
                        .collectList())
                // all ten are waiting on the one refresh before it answers
                .then(() -> assertThat(refreshes).hasValue(1))
                .then(() -> gate.tryEmitEmpty())
                .assertNext(tokens -> assertThat(tokens).hasSize(10).containsOnly("token-1"))
                .expectComplete()
                .verify(Duration.ofSeconds(5));

        // once that refresh is done, the next one runs again
        gate = Sinks.empty();
        StepVerifier.create(manager.authorize(request(session)))
                .then(() -> gate.tryEmitEmpty())
                .assertNext(client -> assertThat(client.getAccessToken().getTokenValue()).isEqualTo("token-2"))
                .expectComplete()
                .verify(Duration.ofSeconds(5));
        assertThat(refreshes).hasValue(2);
    }

    @Test
    void twoSessionsOfTheSamePersonNeverShare() {
        WebSession phone = sessions.createWebSession().block();
        WebSession laptop = sessions.createWebSession().block();
        StepVerifier.create(Flux.merge(manager.authorize(request(phone)), manager.authorize(request(laptop)))
                        .collectList())
                .then(() -> assertThat(refreshes).as("both refresh while the other is still waiting").hasValue(2))
                .then(() -> gate.tryEmitEmpty())
                .assertNext(clients -> assertThat(clients).hasSize(2))
                .expectComplete()
                .verify(Duration.ofSeconds(5));
    }

    private static OAuth2AuthorizeRequest request(WebSession session) {
        ServerWebExchange exchange = MockServerWebExchange.builder(MockServerHttpRequest.get("/api/users/me"))
                .session(session).build();
        return OAuth2AuthorizeRequest.withClientRegistrationId("surge")
                .principal(new TestingAuthenticationToken("alice", "n/a"))
                .attribute(ServerWebExchange.class.getName(), exchange)
                .build();
    }
}
