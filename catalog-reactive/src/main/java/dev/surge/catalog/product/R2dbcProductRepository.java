package dev.surge.catalog.product;

import java.time.OffsetDateTime;
import java.util.Map;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;

import dev.surge.service.web.PageRequest;
import io.r2dbc.spi.Readable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Active products in PostgreSQL: pages of summaries and one product's details. */
@Repository
class R2dbcProductRepository {

    /** A category and every category below it. */
    private static final String CATEGORY_SUBTREE = """
            WITH RECURSIVE subtree AS (
                SELECT id FROM category WHERE id = :category
                UNION ALL
                SELECT c.id FROM category c JOIN subtree s ON c.parent_id = s.id)
            """;

    private final DatabaseClient database;
    private final JsonMapper json;

    R2dbcProductRepository(DatabaseClient database, JsonMapper json) {
        this.database = database;
        this.json = json;
    }

    Flux<ProductSummary> page(String category, ProductSort sort, PageRequest page) {
        String sql = (category == null ? "" : CATEGORY_SUBTREE)
                + "SELECT " + ProductRows.SUMMARY_COLUMNS + " FROM product p WHERE p.active"
                + (category == null ? "" : " AND p.category_id IN (SELECT id FROM subtree)")
                + " ORDER BY " + sort.orderBy() + " LIMIT :limit OFFSET :offset";
        DatabaseClient.GenericExecuteSpec query = database.sql(sql)
                .bind("limit", page.size())
                .bind("offset", page.offset());
        return (category == null ? query : query.bind("category", category))
                .map(ProductRows::summary)
                .all();
    }

    Mono<Long> count(String category) {
        String sql = (category == null ? "" : CATEGORY_SUBTREE)
                + "SELECT count(*) AS n FROM product p WHERE p.active"
                + (category == null ? "" : " AND p.category_id IN (SELECT id FROM subtree)");
        DatabaseClient.GenericExecuteSpec query = database.sql(sql);
        return (category == null ? query : query.bind("category", category))
                .map(row -> row.get("n", Long.class))
                .one();
    }

    Mono<ProductRow> find(String sku) {
        return database.sql("""
                        SELECT p.sku, p.name, p.description, p.brand, p.category_id, p.price_amount, p.price_currency,
                               p.attributes::text AS attributes, p.rating_sum, p.rating_count, p.available,
                               p.low_stock_threshold, p.created_at
                        FROM product p WHERE p.sku = :sku AND p.active""")
                .bind("sku", sku)
                .map(this::productRow)
                .one();
    }

    Flux<ProductDetails.Image> images(String sku) {
        return database.sql("SELECT url, alt FROM product_image WHERE sku = :sku ORDER BY position")
                .bind("sku", sku)
                .map(row -> new ProductDetails.Image(row.get("url", String.class), row.get("alt", String.class)))
                .all();
    }

    private ProductRow productRow(Readable row) {
        return new ProductRow(
                row.get("sku", String.class),
                row.get("name", String.class),
                row.get("description", String.class),
                row.get("brand", String.class),
                row.get("category_id", String.class),
                new Money(row.get("price_amount", Long.class), row.get("price_currency", String.class)),
                json.readValue(row.get("attributes", String.class), new TypeReference<Map<String, Object>>() { }),
                Rating.of(row.get("rating_sum", Integer.class), row.get("rating_count", Integer.class)),
                Availability.of(row.get("available", Integer.class), row.get("low_stock_threshold", Integer.class)),
                row.get("created_at", OffsetDateTime.class));
    }

    record ProductRow(String sku, String name, String description, String brand, String categoryId, Money price,
            Map<String, Object> attributes, Rating rating, Availability availability, OffsetDateTime createdAt) {
    }
}
