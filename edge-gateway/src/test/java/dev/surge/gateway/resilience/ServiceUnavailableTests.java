package dev.surge.gateway.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;

import org.junit.jupiter.api.Test;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.security.oauth2.core.OAuth2AuthorizationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.web.server.ResponseStatusException;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;

/** Which failures become the route's 503: only the service's own, never a filter's ahead of the call. */
class ServiceUnavailableTests {

    @Test
    void aFailedCallIsTheServices() {
        MockServerWebExchange exchange = routed();

        assertThat(ServiceUnavailable.isServiceFailure(exchange, new ConnectException("refused"))).isTrue();
        assertThat(ServiceUnavailable.isServiceFailure(exchange, new ResponseStatusException(HttpStatus.GATEWAY_TIMEOUT)))
                .isTrue();
    }

    @Test
    void aBreakerThatRefusesTheCallIsTheServices() {
        MockServerWebExchange exchange = notRouted();

        assertThat(ServiceUnavailable.isServiceFailure(exchange,
                CallNotPermittedException.createCallNotPermittedException(CircuitBreaker.ofDefaults("cart-order"))))
                .isTrue();
        assertThat(ServiceUnavailable.isServiceFailure(exchange,
                BulkheadFullException.createBulkheadFullException(Bulkhead.ofDefaults("cart-order")))).isTrue();
    }

    @Test
    void aFilterFailingBeforeTheCallKeepsItsOwnAnswer() {
        OAuth2AuthorizationException refreshRefused = new OAuth2AuthorizationException(new OAuth2Error("invalid_grant"));

        assertThat(ServiceUnavailable.isServiceFailure(notRouted(), refreshRefused)).isFalse();
    }

    @Test
    void aClientErrorIsNeverTheServices() {
        assertThat(ServiceUnavailable.isServiceFailure(routed(), new ResponseStatusException(HttpStatus.CONTENT_TOO_LARGE)))
                .isFalse();
    }

    private static MockServerWebExchange notRouted() {
        return MockServerWebExchange.from(MockServerHttpRequest.get("/api/users/me"));
    }

    private static MockServerWebExchange routed() {
        MockServerWebExchange exchange = notRouted();
        ServerWebExchangeUtils.setAlreadyRouted(exchange);
        return exchange;
    }
}
