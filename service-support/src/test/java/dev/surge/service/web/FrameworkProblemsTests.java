package dev.surge.service.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import reactor.core.publisher.Mono;

/** Every error the framework raises before a controller runs is a typed problem that names what is wrong. */
class FrameworkProblemsTests {

    private final WebTestClient http = WebTestClient.bindToController(new Orders())
            .controllerAdvice(new ProblemHandler())
            .build();

    @Test
    void aDatabaseThatDoesNotAnswerIsAServiceUnavailableProblemWithRetryAfterNamingNoInternals() {
        http.get().uri("/stock").exchange()
                .expectStatus().isEqualTo(503)
                .expectHeader().valueEquals("Retry-After", "5")
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type").isEqualTo(ProblemHandler.TYPE_BASE + "database-unavailable")
                .jsonPath("$.title").isEqualTo("Database unavailable")
                .jsonPath("$.detail").isEqualTo("The service cannot reach its database just now; nothing was changed, "
                        + "try again in 5 s.");
    }

    @Test
    void aPathValueOfTheWrongTypeNamesTheParameter() {
        http.get().uri("/orders/not-a-uuid").exchange()
                .expectStatus().isBadRequest()
                .expectBody()
                .jsonPath("$.type").isEqualTo("https://surge.dev/problems/invalid-request")
                .jsonPath("$.errors[0].field").isEqualTo("id")
                .jsonPath("$.errors[0].message").isEqualTo("must be an id (a UUID)");
    }

    @Test
    void aQueryValueOfTheWrongTypeOrAMissingOneNamesTheParameter() {
        http.get().uri("/orders?limit=ten").exchange()
                .expectStatus().isBadRequest()
                .expectBody()
                .jsonPath("$.type").isEqualTo("https://surge.dev/problems/invalid-request")
                .jsonPath("$.detail").isEqualTo("limit must be a whole number");
        http.get().uri("/orders").exchange()
                .expectStatus().isBadRequest()
                .expectBody()
                .jsonPath("$.type").isEqualTo("https://surge.dev/problems/invalid-request")
                .jsonPath("$.errors[0].field").isEqualTo("limit");
    }

    @Test
    void aBodyOfTheWrongShapeNamesTheFieldAndNoJavaType() {
        http.post().uri("/orders").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"lines\": [{\"sku\": \"A\", \"quantity\": \"many\"}]}")
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody()
                .jsonPath("$.type").isEqualTo("https://surge.dev/problems/invalid-request")
                .jsonPath("$.errors[0].field").isEqualTo("lines[0].quantity")
                .jsonPath("$.errors[0].message").isEqualTo("must be a whole number");
    }

    @Test
    void brokenJsonSaysWhereWithoutQuotingTheParser() {
        String detail = http.post().uri("/orders").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"lines\": [}")
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody(ProblemView.class)
                .returnResult()
                .getResponseBody()
                .detail();
        assertThat(detail).startsWith("The request body is not valid JSON (line 1, column")
                .doesNotContain("jackson", "Exception", "Orders");
    }

    @Test
    void aMissingBodySaysSo() {
        http.post().uri("/orders").contentType(MediaType.APPLICATION_JSON)
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody()
                .jsonPath("$.type").isEqualTo("https://surge.dev/problems/malformed-body")
                .jsonPath("$.detail").isEqualTo("The request needs a JSON body.");
    }

    @Test
    void anotherMediaTypeIs415() {
        http.post().uri("/orders").contentType(MediaType.APPLICATION_XML).bodyValue("<order/>")
                .exchange()
                .expectStatus().isEqualTo(415)
                .expectBody()
                .jsonPath("$.type").isEqualTo("https://surge.dev/problems/unsupported-media-type")
                .jsonPath("$.detail").isEqualTo("Content type 'application/xml' is not supported: send the body as application/json.");
    }

    @Test
    void anyOtherFrameworkStatusIsTypedByItsName() {
        http.delete().uri("/orders").exchange()
                .expectStatus().isEqualTo(405)
                .expectBody()
                .jsonPath("$.type").isEqualTo("https://surge.dev/problems/method-not-allowed")
                .jsonPath("$.title").isEqualTo("Method Not Allowed");
    }

    record ProblemView(String type, String detail) {
    }

    record Line(String sku, int quantity) {
    }

    record NewOrder(java.util.List<Line> lines) {
    }

    @RestController
    static class Orders {

        @GetMapping("/orders/{id}")
        Mono<String> one(@PathVariable UUID id) {
            return Mono.just(id.toString());
        }

        @GetMapping("/orders")
        Mono<String> list(@RequestParam int limit) {
            return Mono.just("limit " + limit);
        }

        @PostMapping("/orders")
        Mono<String> place(@RequestBody NewOrder order) {
            return Mono.just("placed " + order.lines().size());
        }

        @GetMapping("/stock")
        Mono<String> stock() {
            // what Spring's R2DBC support raises when PostgreSQL refuses or drops the connection
            return Mono.error(new DataAccessResourceFailureException("executeMany; SQL [SELECT ...]",
                    new java.net.ConnectException("Connection refused")));
        }
    }
}
