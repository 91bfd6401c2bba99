package dev.surge.gateway.problem;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Test;
import org.springframework.cloud.gateway.support.ServiceUnavailableException;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponse;
import org.springframework.web.server.ResponseStatusException;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadFullException;

class ProblemErrorWebExceptionHandlerTests {

    @Test
    void aServiceThatCannotBeReachedIsUnavailable() {
        ErrorResponse answer = ProblemErrorWebExceptionHandler.classify(new ConnectException("refused"), "cart-order");

        assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        assertThat(answer.getBody().getType()).hasToString("https://surge.dev/problems/service-unavailable");
        assertThat(answer.getBody().getDetail()).isEqualTo("The cart-order service cannot be reached.");
        assertThat(answer.getBody().getProperties()).containsEntry("service", "cart-order");
    }

    @Test
    void aSessionWhoseTokensCannotBeRefreshedMustSignInAgain() {
        ErrorResponse answer = ProblemErrorWebExceptionHandler.classify(new org.springframework.security.oauth2.client
                .ClientAuthorizationException(new org.springframework.security.oauth2.core.OAuth2Error("invalid_grant"),
                        "surge"), "cart-order");

        assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
        assertThat(answer.getBody().getType()).hasToString("https://surge.dev/problems/unauthorized");
    }

    @Test
    void anOpenBreakerOrAFullBulkheadIsUnavailable() {
        assertThat(ProblemErrorWebExceptionHandler.classify(new ServiceUnavailableException(), "catalog").getStatusCode())
                .isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        assertThat(ProblemErrorWebExceptionHandler.classify(
                BulkheadFullException.createBulkheadFullException(Bulkhead.ofDefaults("catalog")), "catalog").getStatusCode())
                .isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
    }

    @Test
    void aServiceTooSlowIsAGatewayTimeout() {
        ErrorResponse answer = ProblemErrorWebExceptionHandler.classify(new TimeoutException(), "notify");

        assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.GATEWAY_TIMEOUT);
        assertThat(answer.getBody().getType()).hasToString("https://surge.dev/problems/gateway-timeout");
    }

    @Test
    void keepsTheStatusOfAnErrorThatAlreadyHasOne() {
        ErrorResponse answer = ProblemErrorWebExceptionHandler.classify(new ResponseStatusException(HttpStatus.NOT_FOUND), "gateway");

        assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
    }

    @Test
    void anythingElseIsAnInternalErrorThatSaysNothingOfTheInside() {
        ErrorResponse answer = ProblemErrorWebExceptionHandler.classify(new IllegalStateException("secret detail"), "catalog");

        assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR);
        assertThat(answer.getBody().getType()).hasToString("https://surge.dev/problems/internal-error");
        assertThat(answer.getBody().getDetail()).doesNotContain("secret");
    }
}
