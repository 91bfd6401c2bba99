package dev.surge.gateway.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

import reactor.test.StepVerifier;
import tools.jackson.databind.json.JsonMapper;

class StaleAnswersTests {

    private final StaleAnswers answers = new StaleAnswers(JsonMapper.builder().build());

    @Test
    void marksAJsonObjectWithAStaleFieldAndHeaders() {
        MockServerWebExchange exchange = exchange();
        exchange.getResponse().setStatusCode(HttpStatus.SERVICE_UNAVAILABLE);
        exchange.getResponse().getHeaders().set("X-Upstream", "left over");

        StepVerifier.create(answers.write(exchange, kept("application/json", "{\"sku\":\"SKU-1\",\"price\":{\"amount\":1999}}"),
                Duration.ofSeconds(42)))
                .verifyComplete();

        assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.OK);
        HttpHeaders headers = exchange.getResponse().getHeaders();
        assertThat(headers.getFirst(StaleAnswers.STALE_HEADER)).isEqualTo("true");
        assertThat(headers.getFirst(HttpHeaders.AGE)).isEqualTo("42");
        assertThat(headers.getCacheControl()).isEqualTo("no-store");
        assertThat(headers.containsHeader("X-Upstream")).isFalse();
        StepVerifier.create(exchange.getResponse().getBodyAsString())
                .expectNext("{\"sku\":\"SKU-1\",\"price\":{\"amount\":1999},\"stale\":true}")
                .verifyComplete();
    }

    @Test
    void servesAnythingButAJsonObjectAsKept() {
        for (String[] kept : new String[][] {
                {"application/json", "[{\"slug\":\"phones\"}]"},
                {"text/plain", "{\"looks\":\"like json\"}"},
                {"application/json", "{not json"}}) {
            MockServerWebExchange exchange = exchange();

            StepVerifier.create(answers.write(exchange, kept(kept[0], kept[1]), Duration.ZERO)).verifyComplete();

            assertThat(exchange.getResponse().getHeaders().getFirst(StaleAnswers.STALE_HEADER)).isEqualTo("true");
            StepVerifier.create(exchange.getResponse().getBodyAsString()).expectNext(kept[1]).verifyComplete();
        }
    }

    private static MockServerWebExchange exchange() {
        return MockServerWebExchange.from(MockServerHttpRequest.get("/api/products/SKU-1"));
    }

    private static LastGoodResponse kept(String contentType, String body) {
        return new LastGoodResponse(contentType, Instant.parse("2026-01-01T00:00:00Z"), body.getBytes(StandardCharsets.UTF_8));
    }
}
