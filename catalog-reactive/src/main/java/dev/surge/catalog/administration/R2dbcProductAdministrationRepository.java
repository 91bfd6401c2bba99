package dev.surge.catalog.administration;

import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Map;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;

import io.r2dbc.spi.Parameters;
import io.r2dbc.spi.R2dbcType;
import io.r2dbc.spi.Readable;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes products; every write bumps the product's version, which its events carry, and records that
 * version as announced: the caller writes its event in the same transaction.
 */
@Repository
class R2dbcProductAdministrationRepository {

    private final DatabaseClient database;
    private final JsonMapper json;

    R2dbcProductAdministrationRepository(DatabaseClient database, JsonMapper json) {
        this.database = database;
        this.json = json;
    }

    /** Inserts a new product at version 1; empty when the SKU is taken. */
    Mono<Written> insert(ProductForm form) {
        return database.sql("""
                        INSERT INTO product (sku, name, description, brand, category_id, price_amount, price_currency,
                                             attributes, active, version, announced_version)
                        VALUES (:sku, :name, :description, :brand, :category, :amount, :currency,
                                CAST(:attributes AS JSONB), :active, 1, 1)
                        ON CONFLICT (sku) DO NOTHING
                        RETURNING version, updated_at, category_id AS previous_category""")
                .bindValues(values(form))
                .map(R2dbcProductAdministrationRepository::written)
                .one();
    }

    /** Replaces a product's fields; empty when there is no such product. Locks the row until commit. */
    Mono<Written> replace(ProductForm form) {
        return database.sql("""
                        WITH previous AS (SELECT sku, category_id FROM product WHERE sku = :sku FOR UPDATE)
                        UPDATE product p SET name = :name, description = :description, brand = :brand,
                               category_id = :category, price_amount = :amount, price_currency = :currency,
                               attributes = CAST(:attributes AS JSONB), active = :active,
                               version = p.version + 1, announced_version = p.version + 1, updated_at = now()
                        FROM previous WHERE p.sku = previous.sku
                        RETURNING p.version, p.updated_at, previous.category_id AS previous_category""")
                .bindValues(values(form))
                .map(R2dbcProductAdministrationRepository::written)
                .one();
    }

    /** Takes an active product off sale; empty when there is none (or it is off sale already). */
    Mono<Written> deactivate(String sku) {
        return database.sql("""
                        UPDATE product SET active = false, version = version + 1,
                                           announced_version = version + 1, updated_at = now()
                        WHERE sku = :sku AND active
                        RETURNING version, updated_at, category_id AS previous_category""")
                .bind("sku", sku)
                .map(R2dbcProductAdministrationRepository::written)
                .one();
    }

    Mono<Boolean> exists(String sku) {
        return database.sql("SELECT EXISTS (SELECT 1 FROM product WHERE sku = :sku) AS present")
                .bind("sku", sku)
                .map(row -> row.get("present", Boolean.class))
                .one();
    }

    private static Written written(Readable row) {
        return new Written(row.get("version", Long.class), row.get("updated_at", OffsetDateTime.class),
                row.get("previous_category", String.class));
    }

    private Map<String, Object> values(ProductForm form) {
        Map<String, Object> values = new HashMap<>();
        values.put("sku", form.sku());
        values.put("name", form.name());
        values.put("description", form.description());
        values.put("brand", Parameters.in(R2dbcType.VARCHAR, form.brand()));
        values.put("category", form.categoryId());
        values.put("amount", form.price().amount());
        values.put("currency", form.price().currency());
        values.put("attributes", json.writeValueAsString(form.attributes()));
        values.put("active", form.active());
        return values;
    }

    /**
     * The outcome of a write.
     *
     * @param version the product's version after it
     * @param at when it was written
     * @param previousCategory the category before the write (the new one for an insert)
     */
    record Written(long version, OffsetDateTime at, String previousCategory) {
    }
}
