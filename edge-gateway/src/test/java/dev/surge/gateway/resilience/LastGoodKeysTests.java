package dev.surge.gateway.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;

class LastGoodKeysTests {

    @Test
    void keepsOnlyTheParametersCatalogReadsForThePath() {
        assertThat(key("/api/products/SKU-1?x=1&utm_source=mail")).contains("/api/products/SKU-1");
        assertThat(key("/api/products?category=phones&x=9&page=2")).contains("/api/products?category=phones&page=2");
        assertThat(key("/api/products/search?q=phone&category=phones")).contains("/api/products/search?q=phone");
        assertThat(key("/api/products/SKU-1/reviews?page=1&sort=newest")).contains("/api/products/SKU-1/reviews?page=1");
        assertThat(key("/api/categories?page=3")).contains("/api/categories");
    }

    @Test
    void writesEveryWayOfAskingTheSameThingAsOneKey() {
        Optional<String> plain = key("/api/products?category=phones&sort=price&page=2");
        assertThat(key("/api/products?sort=price&page=02&category=phones")).isEqualTo(plain);
        assertThat(key("/api/products?page=2&size=20&category=phones&sort=price")).isEqualTo(plain);
        assertThat(key("/api/products?page=%202%20&sort=price&category=phones&x=y")).isEqualTo(plain);

        assertThat(key("/api/products?page=0&size=20&sort=name")).contains("/api/products");
        assertThat(key("/api/products?page=&sort=")).contains("/api/products");
        assertThat(key("/api/products/search?q=%20red%20%20%20phone%20")).contains("/api/products/search?q=red+phone");
    }

    @Test
    void keepsNothingCatalogWouldRefuse() {
        assertThat(key("/api/products?page=10001")).isEmpty();
        assertThat(key("/api/products?size=0")).isEmpty();
        assertThat(key("/api/products?size=101")).isEmpty();
        assertThat(key("/api/products?page=-1")).isEmpty();
        assertThat(key("/api/products?page=1e3")).isEmpty();
        assertThat(key("/api/products?page=1&page=2")).isEmpty();
        assertThat(key("/api/products?category=" + "c".repeat(65))).isEmpty();
        assertThat(key("/api/products?category=a%2Fb")).isEmpty();
        assertThat(key("/api/products?sort=PRICE;drop")).isEmpty();
        assertThat(key("/api/products/search?q=" + "q".repeat(101))).isEmpty();
        assertThat(key("/api/products/search?q=" + "q".repeat(100))).isPresent();
    }

    @Test
    void keepsNothingForAnOddPath() {
        assertThat(key("/api/products/" + "S".repeat(200))).isEmpty();
        assertThat(key("/api/products//SKU-1")).isEmpty();
        assertThat(key("/api/products/SKU-1/")).isEmpty();
        assertThat(key("/images/../api/products")).isEmpty();
        assertThat(key("/images/%C3%A9.png")).isEmpty();
        assertThat(key("/images/sku-1.png")).contains("/images/sku-1.png");
    }

    private static Optional<String> key(String uri) {
        return LastGoodKeys.of(MockServerHttpRequest.method(HttpMethod.GET, URI.create(uri)).build());
    }
}
