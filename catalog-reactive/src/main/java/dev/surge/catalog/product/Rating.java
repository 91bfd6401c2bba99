package dev.surge.catalog.product;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * A product's rating summary.
 *
 * @param average mean of all ratings (1–5), one decimal; 0 when there are none
 * @param count how many reviews rated it
 */
public record Rating(BigDecimal average, int count) {

    static Rating of(int sum, int count) {
        BigDecimal average = count == 0
                ? BigDecimal.ZERO
                : BigDecimal.valueOf(sum).divide(BigDecimal.valueOf(count), 1, RoundingMode.HALF_EVEN);
        return new Rating(average, count);
    }
}
