package dev.surge.order.user;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.surge.testsupport.Infrastructure;
import dev.surge.testsupport.IntegrationTest;

/** Malformed input to the profile gets a problem with a stable type that names what is wrong, and no internals. */
@IntegrationTest(kafka = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProfileRequestProblemsIT {

    @Autowired
    WebTestClient http;

    private final String token = Infrastructure.identityProvider().shopperToken("lena");

    @BeforeAll
    void createProfile() {
        http.put().uri("/api/users/me").header(HttpHeaders.AUTHORIZATION, "Bearer " + token).exchange()
                .expectStatus().isCreated();
    }

    @Test
    void bodyThatIsNotJsonIsAMalformedBodyProblem() {
        patch(MediaType.APPLICATION_JSON, "{\"name\": \"Lena\",")
                .expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type").isEqualTo("https://surge.dev/problems/malformed-body")
                .jsonPath("$.detail").value(detail -> org.assertj.core.api.Assertions.assertThat((String) detail)
                        .startsWith("The request body is not valid JSON")
                        .doesNotContain("tools.jackson", "Exception", "dev.surge"));
    }

    @Test
    void valueOfTheWrongTypeNamesItsField() {
        patch(MediaType.APPLICATION_JSON, """
                {"preferences": {"marketingEmails": "often", "language": "en"}}""")
                .expectStatus().isBadRequest()
                .expectBody()
                .jsonPath("$.type").isEqualTo("https://surge.dev/problems/invalid-request")
                .jsonPath("$.errors[0].field").isEqualTo("preferences.marketingEmails")
                .jsonPath("$.errors[0].message").isEqualTo("must be true or false")
                .jsonPath("$.detail").isEqualTo("preferences.marketingEmails must be true or false");
        patch(MediaType.APPLICATION_JSON, "{\"name\": {\"first\": \"Lena\"}}")
                .expectStatus().isBadRequest()
                .expectBody()
                .jsonPath("$.type").isEqualTo("https://surge.dev/problems/invalid-request")
                .jsonPath("$.errors[0].field").isEqualTo("name")
                .jsonPath("$.errors[0].message").isEqualTo("must be text");
    }

    @Test
    void anotherMediaTypeIsA415Problem() {
        patch(MediaType.TEXT_PLAIN, "name=Lena")
                .expectStatus().isEqualTo(415)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type").isEqualTo("https://surge.dev/problems/unsupported-media-type")
                .jsonPath("$.detail").isEqualTo("Content type 'text/plain' is not supported: send the body as application/json.");
    }

    @Test
    void aMissingBodyIsAMalformedBodyProblem() {
        http.patch().uri("/api/users/me").header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .contentType(MediaType.APPLICATION_JSON)
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody()
                .jsonPath("$.type").isEqualTo("https://surge.dev/problems/malformed-body")
                .jsonPath("$.detail").isEqualTo("The request needs a JSON body.");
    }

    @Test
    void aMethodTheResourceDoesNotHaveIsTypedToo() {
        http.delete().uri("/api/users/me").header(HttpHeaders.AUTHORIZATION, "Bearer " + token).exchange()
                .expectStatus().isEqualTo(405)
                .expectBody()
                .jsonPath("$.type").isEqualTo("https://surge.dev/problems/method-not-allowed");
    }

    private WebTestClient.ResponseSpec patch(MediaType type, String body) {
        return http.patch().uri("/api/users/me").header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .contentType(type)
                .bodyValue(body)
                .exchange();
    }
}
