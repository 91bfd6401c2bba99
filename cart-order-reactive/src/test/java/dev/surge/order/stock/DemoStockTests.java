package dev.surge.order.stock;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

class DemoStockTests {

    private static final List<String> DEMO_SKUS = IntStream.rangeClosed(1, 5_280)
            .mapToObj(n -> "SKU-%06d".formatted(n))
            .toList();

    @Test
    void aFewDemoProductsAreSoldOutAFewLowAndTheRestInStock() {
        List<Integer> units = DEMO_SKUS.stream().map(DemoStock::units).toList();

        long soldOut = units.stream().filter(n -> n == 0).count();
        long low = units.stream().filter(n -> n >= 1 && n <= 4).count();
        assertThat(soldOut).isBetween(100L, 350L);
        assertThat(low).isBetween(200L, 500L);
        assertThat(units).allSatisfy(n -> assertThat(n).isBetween(0, 199));
        assertThat(units.stream().filter(n -> n >= 20).count()).isEqualTo(DEMO_SKUS.size() - soldOut - low);
    }

    @Test
    void theSameSkuAlwaysGetsTheSameStock() {
        assertThat(DEMO_SKUS).allSatisfy(sku -> assertThat(DemoStock.units(sku)).isEqualTo(DemoStock.units(new String(sku))));
    }
}
