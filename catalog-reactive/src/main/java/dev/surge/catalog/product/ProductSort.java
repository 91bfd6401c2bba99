package dev.surge.catalog.product;

import java.util.Arrays;
import java.util.stream.Collectors;

import dev.surge.service.web.InvalidParameter;

/** The list orders a shopper can ask for. Each maps to a fixed ORDER BY: input never reaches SQL. */
public enum ProductSort {

    NAME("name", "lower(p.name), p.sku"),
    PRICE("price", "p.price_amount, p.sku"),
    PRICE_DESC("price-desc", "p.price_amount DESC, p.sku"),
    RATING("rating", "(CASE WHEN p.rating_count = 0 THEN 0 ELSE p.rating_sum::numeric / p.rating_count END) DESC, p.rating_count DESC, p.sku"),
    NEWEST("newest", "p.created_at DESC, p.sku");

    private final String parameter;
    private final String orderBy;

    ProductSort(String parameter, String orderBy) {
        this.parameter = parameter;
        this.orderBy = orderBy;
    }

    String orderBy() {
        return orderBy;
    }

    public String parameter() {
        return parameter;
    }

    public static ProductSort parse(String raw) {
        if (raw == null || raw.isBlank()) {
            return NAME;
        }
        return Arrays.stream(values())
                .filter(sort -> sort.parameter.equals(raw.trim()))
                .findFirst()
                .orElseThrow(() -> new InvalidParameter("sort", "must be one of "
                        + Arrays.stream(values()).map(ProductSort::parameter).collect(Collectors.joining(", "))));
    }
}
