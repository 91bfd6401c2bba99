package dev.surge.order;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.surge.testsupport.IdentityProvider;
import dev.surge.testsupport.Infrastructure;
import dev.surge.testsupport.IntegrationTest;

@IntegrationTest
class UserProfileIT {

    @Autowired
    WebTestClient http;

    private final IdentityProvider identity = Infrastructure.identityProvider();

    @Test
    void firstLoginCreatesTheProfileFromTheTokenAndARepeatChangesNothing() {
        String token = identity.token("carol", Map.of("name", "Carol Example", "email", "carol@surge.test"));
        put(token).expectStatus().isCreated()
                .expectBody()
                .jsonPath("$.userId").isEqualTo("carol")
                .jsonPath("$.email").isEqualTo("carol@surge.test")
                .jsonPath("$.name").isEqualTo("Carol Example")
                .jsonPath("$.preferences.marketingEmails").isEqualTo(false);
        String createdAt = createdAt(token);
        put(token).expectStatus().isOk().expectBody().jsonPath("$.createdAt").isEqualTo(createdAt);
    }

    @Test
    void aShopperWithoutAProfileYetGetsANotFoundProblem() {
        http.get().uri("/api/users/me")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + identity.shopperToken("dave"))
                .exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.type").isEqualTo("https://surge.dev/problems/profile-not-found");
    }

    @Test
    void changesAreValidatedAndShownOnTheNextRead() {
        String token = identity.shopperToken("erin");
        put(token).expectStatus().isCreated();
        get(token).expectBody().jsonPath("$.phone").doesNotExist();
        patch(token, """
                {"name": "Erin Q.", "phone": "+44 20 7946 0958", "preferences": {"marketingEmails": true, "language": "de"}}""")
                .expectStatus().isOk();
        get(token).expectBody()
                .jsonPath("$.name").isEqualTo("Erin Q.")
                .jsonPath("$.phone").isEqualTo("+44 20 7946 0958")
                .jsonPath("$.preferences.language").isEqualTo("de")
                .jsonPath("$.preferences.marketingEmails").isEqualTo(true);
        patch(token, "{\"phone\": \"\"}").expectStatus().isOk();
        get(token).expectBody().jsonPath("$.phone").doesNotExist().jsonPath("$.name").isEqualTo("Erin Q.");
    }

    @Test
    void badChangesAreRefusedFieldByFieldAndNothingChanges() {
        String token = identity.shopperToken("frank");
        put(token).expectStatus().isCreated();
        patch(token, """
                {"name": "", "phone": "call me", "preferences": {"language": "english"}}""")
                .expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.errors[*].field").isEqualTo(List.of("name", "phone", "preferences.marketingEmails",
                        "preferences.language"));
        get(token).expectBody().jsonPath("$.name").isEqualTo("frank").jsonPath("$.phone").doesNotExist();
    }

    @Test
    void theUserIdComesFromTheTokenOnlyNeverFromTheRequest() {
        String grace = identity.shopperToken("grace");
        String heidi = identity.shopperToken("heidi");
        put(grace).expectStatus().isCreated();
        put(heidi).expectStatus().isCreated();
        http.patch().uri("/api/users/me?userId=heidi")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + grace)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"userId\": \"heidi\", \"name\": \"Changed by Grace\"}")
                .exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.userId").isEqualTo("grace");
        get(heidi).expectBody().jsonPath("$.name").isEqualTo("heidi");
        get(grace).expectBody().jsonPath("$.name").isEqualTo("Changed by Grace");
    }

    @Test
    void withoutAValidTokenThereIsNoProfile() {
        http.get().uri("/api/users/me").exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        String token = identity.shopperToken("ivan");
        http.put().uri("/api/users/me")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token.substring(0, token.length() - 4) + "AAAA")
                .exchange()
                .expectStatus().isUnauthorized();
        get(token).expectStatus().isNotFound();
    }

    private String createdAt(String token) {
        return get(token).expectBody(Map.class).returnResult().getResponseBody().get("createdAt").toString();
    }

    private WebTestClient.ResponseSpec put(String token) {
        return http.put().uri("/api/users/me").header(HttpHeaders.AUTHORIZATION, "Bearer " + token).exchange();
    }

    private WebTestClient.ResponseSpec get(String token) {
        return http.get().uri("/api/users/me").header(HttpHeaders.AUTHORIZATION, "Bearer " + token).exchange();
    }

    private WebTestClient.ResponseSpec patch(String token, String body) {
        return http.patch().uri("/api/users/me")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange();
    }
}
