package dev.surge.order;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.surge.testsupport.IdentityProvider;
import dev.surge.testsupport.Infrastructure;
import dev.surge.testsupport.IntegrationTest;

/**
 * Stock administration and ops paths need the ops role at cart-order itself (service-support's
 * bearer-token chain), whatever the gateway checked before: called directly, a shopper's valid
 * token is refused.
 */
@IntegrationTest(kafka = false)
class AdministrationAccessIT {

    @Autowired
    WebTestClient http;

    private final IdentityProvider identity = Infrastructure.identityProvider();

    @Test
    void aShopperTokenIsForbiddenStockAdministration() {
        String shopper = "Bearer " + identity.shopperToken("mallory");
        http.get().uri("/api/admin/inventory/x")
                .header(HttpHeaders.AUTHORIZATION, shopper)
                .exchange()
                .expectStatus().isForbidden()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.type").isEqualTo("https://surge.dev/problems/forbidden");
        http.put().uri("/api/admin/inventory/x")
                .header(HttpHeaders.AUTHORIZATION, shopper)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"available\": 1000}")
                .exchange()
                .expectStatus().isForbidden();
        http.get().uri("/api/ops/anything")
                .header(HttpHeaders.AUTHORIZATION, shopper)
                .exchange()
                .expectStatus().isForbidden();
    }

    @Test
    void withoutATokenItIsA401AndWithTheOpsRoleTheRequestGetsThrough() {
        http.get().uri("/api/admin/inventory/x").exchange().expectStatus().isUnauthorized();
        http.get().uri("/api/admin/inventory/x")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + identity.opsToken("olga"))
                .exchange()
                .expectStatus().value(status -> org.assertj.core.api.Assertions.assertThat(status)
                        .as("ops: past the security chain").isNotIn(401, 403));
    }
}
