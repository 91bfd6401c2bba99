package dev.surge.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.surge.testsupport.IdentityProvider;
import dev.surge.testsupport.Infrastructure;
import dev.surge.testsupport.IntegrationTest;

/**
 * Writes need a token at the catalog itself, not only at the gateway: a review (a write no handler
 * serves yet) needs a signed-in shopper, administration the ops role; reads stay outside the
 * security chain, so even a token that would be refused does not matter to them.
 */
@IntegrationTest(kafka = false)
class ShopperWritesSecurityIT {

    private static final String REVIEW = "{\"rating\": 5, \"text\": \"Great coffee.\"}";

    @Autowired
    WebTestClient http;

    private final IdentityProvider identity = Infrastructure.identityProvider();

    @Test
    void anAnonymousReviewIsA401Problem() {
        http.post().uri("/api/products/SKU-000001/reviews")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(REVIEW)
                .exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .expectBody().jsonPath("$.type").isEqualTo("https://surge.dev/problems/unauthorized");
    }

    @Test
    void anyWriteOnCatalogPathsNeedsASignedInUser() {
        http.delete().uri("/api/products/SKU-000001").exchange().expectStatus().isUnauthorized();
        http.put().uri("/api/categories/electronics").contentType(MediaType.APPLICATION_JSON).bodyValue("{}")
                .exchange().expectStatus().isUnauthorized();
    }

    @Test
    void aShoppersReviewGetsPastTheSecurityChain() {
        http.post().uri("/api/products/SKU-000001/reviews")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + identity.shopperToken("alice"))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(REVIEW)
                .exchange()
                .expectStatus().value(status -> assertThat(status).as("signed in: neither 401 nor 403")
                        .isNotIn(401, 403));
    }

    @Test
    void aShopperIsForbiddenAdministration() {
        http.post().uri("/api/admin/products")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + identity.shopperToken("alice"))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{}")
                .exchange()
                .expectStatus().isForbidden()
                .expectBody().jsonPath("$.type").isEqualTo("https://surge.dev/problems/forbidden");
    }

    @Test
    void readsNeverMeetTheSecurityChain() {
        // a chain would answer this malformed token with a 401; reads have none, so the catalog answers
        http.get().uri("/api/categories")
                .header(HttpHeaders.AUTHORIZATION, "Bearer not-a-valid-token")
                .exchange()
                .expectStatus().isOk();
        http.head().uri("/api/categories").exchange().expectStatus().isOk();
    }
}
