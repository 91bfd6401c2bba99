package dev.surge.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.http.MediaType;

import dev.surge.testsupport.IntegrationTest;

@IntegrationTest
class ProductSearchIT extends CatalogFixtures {

    @Test
    void ranksProductsNamedForTheQueryAboveOnesThatOnlyMentionIt() {
        Results results = search("bluetooth headphones");
        assertThat(results.correctedQuery()).isNull();
        assertThat(results.skus()).startsWith("P-SONY", "P-JBL").contains("P-BOSE").hasSize(3);
        assertThat(results.total()).isEqualTo(3);
    }

    @Test
    void aTypoStillFindsIphones() {
        Results results = search("iphnoe");
        assertThat(results.correctedQuery()).isEqualTo("iphone");
        assertThat(results.skus()).containsExactlyInAnyOrder("P-IPH15", "P-IPH13");
    }

    @Test
    void typosInEveryWordAreCorrected() {
        Results results = search("blutooth hedphones");
        assertThat(results.correctedQuery()).isEqualTo("bluetooth headphones");
        assertThat(results.skus()).startsWith("P-SONY", "P-JBL");
    }

    @Test
    void inactiveProductsAreNeverFound() {
        assertThat(search("iphone retired").skus()).doesNotContain("P-OLD");
    }

    @Test
    void resultsArePaged() {
        Results first = search("headphones", 0, 2);
        Results second = search("headphones", 1, 2);
        assertThat(first.skus()).hasSize(2);
        assertThat(second.skus()).hasSize(1).doesNotContainAnyElementsOf(first.skus());
        assertThat(first.total()).isEqualTo(3);
    }

    @ParameterizedTest
    @ValueSource(strings = { "'; DROP TABLE product; --", ".*[(", "100% _cotton_ \\\\", "\" OR 1=1 --", "<script>" })
    void sqlAndRegexCharactersAreJustText(String hostile) {
        http.get().uri(uri -> uri.path("/api/products/search").queryParam("q", "{q}").build(hostile))
                .exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.query").isEqualTo(hostile.strip());
        assertThat(search("coffee").skus()).containsExactly("P-DELONGHI");
    }

    @Test
    void emptyQueryIsAProblem() {
        for (String query : List.of("", "   ")) {
            http.get().uri(uri -> uri.path("/api/products/search").queryParam("q", "{q}").build(query))
                    .exchange()
                    .expectStatus().isBadRequest()
                    .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody()
                    .jsonPath("$.errors[0].field").isEqualTo("q")
                    .jsonPath("$.detail").isEqualTo("q must not be empty");
        }
        http.get().uri("/api/products/search").exchange().expectStatus().isBadRequest();
    }

    @Test
    void overlongQueryIsAProblem() {
        http.get().uri("/api/products/search?q=" + "a".repeat(101))
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody()
                .jsonPath("$.errors[0].field").isEqualTo("q")
                .jsonPath("$.detail").isEqualTo("q must be at most 100 characters");
    }

    private Results search(String query) {
        return search(query, 0, 20);
    }

    private Results search(String query, int page, int size) {
        return http.get().uri(uri -> uri.path("/api/products/search")
                        .queryParam("q", "{q}").queryParam("page", page).queryParam("size", size).build(query))
                .exchange()
                .expectStatus().isOk()
                .expectBody(Results.class)
                .returnResult()
                .getResponseBody();
    }

    record Results(List<Item> items, long total, String query, String correctedQuery) {
        List<String> skus() {
            return items.stream().map(Item::sku).toList();
        }

        record Item(String sku) {
        }
    }
}
