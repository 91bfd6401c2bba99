package dev.surge.catalog.product;

import io.r2dbc.spi.Readable;

/** The summary columns of a product row and their mapping, shared by listing and search. */
public final class ProductRows {

    /** Select list for {@link #summary}; the product table is aliased {@code p}. */
    public static final String SUMMARY_COLUMNS = """
            p.sku, p.name, p.brand, p.category_id, p.price_amount, p.price_currency,
            p.rating_sum, p.rating_count, p.available, p.low_stock_threshold,
            (SELECT i.url FROM product_image i WHERE i.sku = p.sku ORDER BY i.position LIMIT 1) AS image""";

    private ProductRows() {
    }

    public static ProductSummary summary(Readable row) {
        return new ProductSummary(
                row.get("sku", String.class),
                row.get("name", String.class),
                row.get("brand", String.class),
                row.get("category_id", String.class),
                new Money(row.get("price_amount", Long.class), row.get("price_currency", String.class)),
                row.get("image", String.class),
                Rating.of(row.get("rating_sum", Integer.class), row.get("rating_count", Integer.class)),
                Availability.of(row.get("available", Integer.class), row.get("low_stock_threshold", Integer.class)));
    }
}
