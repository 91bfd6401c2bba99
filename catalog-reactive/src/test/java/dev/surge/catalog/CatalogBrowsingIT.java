package dev.surge.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.http.MediaType;

import dev.surge.testsupport.IntegrationTest;

@IntegrationTest
class CatalogBrowsingIT extends CatalogFixtures {

    @Test
    void listsActiveProductsByNameWithTotal() {
        http.get().uri("/api/products?size=3")
                .exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.total").isEqualTo(7)
                .jsonPath("$.page").isEqualTo(0)
                .jsonPath("$.size").isEqualTo(3)
                .jsonPath("$.items.length()").isEqualTo(3)
                .jsonPath("$.items[0].sku").isEqualTo("P-IPH13")
                .jsonPath("$.items[1].sku").isEqualTo("P-IPH15")
                .jsonPath("$.items[2].sku").isEqualTo("P-BOSE")
                .jsonPath("$.items[1].price.amount").isEqualTo(119900)
                .jsonPath("$.items[1].price.currency").isEqualTo("EUR")
                .jsonPath("$.items[1].image").isEqualTo("/images/products/P-IPH15-1.svg");
    }

    @Test
    void pagesDoNotOverlapAndCoverEverything() {
        List<String> first = skus("/api/products?size=4&page=0");
        List<String> second = skus("/api/products?size=4&page=1");
        assertThat(first).hasSize(4);
        assertThat(second).hasSize(3).doesNotContainAnyElementsOf(first);
        assertThat(skus("/api/products?size=4&page=2")).isEmpty();
    }

    @Test
    void categoryFilterIncludesSubCategories() {
        assertThat(skus("/api/products?category=electronics&size=100"))
                .containsExactlyInAnyOrder("P-IPH15", "P-IPH13", "P-PIX8", "P-SONY", "P-JBL", "P-BOSE");
        assertThat(skus("/api/products?category=electronics-headphones"))
                .containsExactly("P-BOSE", "P-JBL", "P-SONY");
        assertThat(skus("/api/products?category=home")).containsExactly("P-DELONGHI");
    }

    @ParameterizedTest
    @CsvSource({
            "price,       P-JBL,      P-IPH15",
            "price-desc,  P-IPH15,    P-JBL",
            "newest,      P-JBL,      P-IPH13",
            "rating,      P-DELONGHI, P-PIX8",
            "name,        P-IPH13,    P-SONY" })
    void sortsAsAsked(String sort, String first, String last) {
        List<String> skus = skus("/api/products?size=100&sort=" + sort);
        assertThat(skus).hasSize(7);
        assertThat(skus.getFirst()).isEqualTo(first);
        assertThat(skus.getLast()).isEqualTo(last);
    }

    @ParameterizedTest
    @CsvSource({
            "size=0,        size",
            "size=101,      size",
            "size=ten,      size",
            "page=-1,       page",
            "page=99999999, page",
            "sort=cheapest, sort" })
    void badListParametersAreProblemsNamingTheField(String query, String field) {
        http.get().uri("/api/products?" + query)
                .exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type").isEqualTo("https://surge.dev/problems/invalid-request")
                .jsonPath("$.status").isEqualTo(400)
                .jsonPath("$.errors[0].field").isEqualTo(field);
    }

    @Test
    void unknownCategoryIsNotFound() {
        http.get().uri("/api/products?category=no-such-thing")
                .exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type").isEqualTo("https://surge.dev/problems/category-not-found");
    }

    @Test
    void detailsCarryEverythingInOneAnswer() {
        http.get().uri("/api/products/P-IPH15")
                .exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.name").isEqualTo("Apple iPhone 15 Pro 256 GB Titanium")
                .jsonPath("$.description").isEqualTo("Titanium smartphone with the A17 Pro chip.")
                .jsonPath("$.brand").isEqualTo("Apple")
                .jsonPath("$.categoryPath[0]").isEqualTo("Electronics")
                .jsonPath("$.categoryPath[1]").isEqualTo("Phones")
                .jsonPath("$.images.length()").isEqualTo(2)
                .jsonPath("$.images[1].alt").isEqualTo("Apple iPhone 15 Pro side")
                .jsonPath("$.attributes.storage").isEqualTo("256 GB")
                .jsonPath("$.rating.average").isEqualTo(4.5)
                .jsonPath("$.rating.count").isEqualTo(2)
                .jsonPath("$.availability.status").isEqualTo("IN_STOCK")
                .jsonPath("$.reviews.length()").isEqualTo(2)
                .jsonPath("$.reviews[0].title").isEqualTo("Very good");
    }

    @Test
    void availabilityShowsLowAndOutOfStock() {
        http.get().uri("/api/products/P-IPH13").exchange().expectBody()
                .jsonPath("$.availability.status").isEqualTo("LOW_STOCK")
                .jsonPath("$.availability.count").isEqualTo(3);
        http.get().uri("/api/products/P-PIX8").exchange().expectBody()
                .jsonPath("$.availability.status").isEqualTo("OUT_OF_STOCK")
                .jsonPath("$.availability.count").doesNotExist();
    }

    @Test
    void inactiveOrUnknownProductIsNotFound() {
        for (String sku : List.of("P-OLD", "P-NOPE")) {
            http.get().uri("/api/products/" + sku)
                    .exchange()
                    .expectStatus().isNotFound()
                    .expectBody()
                    .jsonPath("$.type").isEqualTo("https://surge.dev/problems/product-not-found");
        }
    }

    @Test
    void reviewsArePagedNewestFirst() {
        http.get().uri("/api/products/P-IPH15/reviews?size=1&page=1")
                .exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.total").isEqualTo(2)
                .jsonPath("$.items.length()").isEqualTo(1)
                .jsonPath("$.items[0].title").isEqualTo("Superb")
                .jsonPath("$.items[0].rating").isEqualTo(5);
    }

    @Test
    void categoriesFormATree() {
        http.get().uri("/api/categories")
                .exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.length()").isEqualTo(2)
                .jsonPath("$[0].id").isEqualTo("electronics")
                .jsonPath("$[0].children[1].id").isEqualTo("electronics-headphones")
                .jsonPath("$[1].children[0].name").isEqualTo("Coffee Machines");
    }

    @Test
    void productImagesAreServedLocallyAsSvg() {
        String svg = http.get().uri("/images/products/P-SONY-1.svg")
                .exchange()
                .expectStatus().isOk()
                .expectHeader().contentType("image/svg+xml")
                .expectHeader().valueEquals("X-Content-Type-Options", "nosniff")
                .expectHeader().valueEquals("Content-Security-Policy",
                        "default-src 'none'; style-src 'unsafe-inline'; sandbox")
                .expectBody(String.class)
                .returnResult()
                .getResponseBody();
        assertThat(svg).startsWith("<svg").contains("Sony WH-1000XM5");
        http.get().uri("/images/products/P-NOPE-1.svg").exchange().expectStatus().isNotFound();
    }

    private List<String> skus(String uri) {
        return http.get().uri(uri)
                .exchange()
                .expectStatus().isOk()
                .expectBody(ProductPage.class)
                .returnResult()
                .getResponseBody()
                .items().stream()
                .map(ProductPage.Item::sku)
                .toList();
    }

    record ProductPage(List<Item> items, long total) {
        record Item(String sku) {
        }
    }
}
