package dev.surge.order.product;

import java.time.OffsetDateTime;
import java.util.Collection;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;

import dev.surge.events.EventEnvelope;
import dev.surge.events.Money;
import dev.surge.events.catalog.ProductChanged;
import io.r2dbc.spi.Parameters;
import io.r2dbc.spi.R2dbcType;
import io.r2dbc.spi.Readable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The product read model in PostgreSQL; writes keep only the newest catalog version of each product. */
@Repository
class R2dbcProductReadModel implements ProductReadModel {

    private static final String COLUMNS =
            "sku, name, image_url, price_amount, price_currency, weight_grams, active, catalog_version, changed_at";

    private final DatabaseClient database;

    R2dbcProductReadModel(DatabaseClient database) {
        this.database = database;
    }

    @Override
    public Mono<CatalogProduct> find(String sku) {
        return database.sql("SELECT " + COLUMNS + " FROM product WHERE sku = :sku")
                .bind("sku", sku)
                .map(R2dbcProductReadModel::product)
                .one();
    }

    @Override
    public Flux<CatalogProduct> findAll(Collection<String> skus) {
        if (skus.isEmpty()) {
            return Flux.empty();
        }
        return database.sql("SELECT " + COLUMNS + " FROM product WHERE sku = ANY(:skus)")
                .bind("skus", skus.toArray(String[]::new))
                .map(R2dbcProductReadModel::product)
                .all();
    }

    /**
     * Stores the product as the event states it, unless a version at least as new is already there;
     * emits whether it was stored and whether the product was new to the read model.
     */
    Mono<Applied> apply(EventEnvelope<?> envelope, ProductChanged changed) {
        return database.sql("""
                        INSERT INTO product (sku, name, image_url, price_amount, price_currency, weight_grams, active,
                                             catalog_version, changed_at)
                        VALUES (:sku, :name, :imageUrl, :amount, :currency, :weight, :active, :version, :changedAt)
                        ON CONFLICT (sku) DO UPDATE SET
                            name = excluded.name, image_url = excluded.image_url,
                            price_amount = excluded.price_amount, price_currency = excluded.price_currency,
                            weight_grams = excluded.weight_grams, active = excluded.active,
                            catalog_version = excluded.catalog_version, changed_at = excluded.changed_at,
                            updated_at = now()
                        WHERE product.catalog_version < excluded.catalog_version
                        RETURNING (xmax = 0) AS inserted""")
                .bind("sku", changed.sku())
                .bind("name", changed.name())
                .bind("imageUrl", Parameters.in(R2dbcType.VARCHAR, changed.imageUrl()))
                .bind("amount", changed.price().amount())
                .bind("currency", changed.price().currency())
                .bind("weight", Parameters.in(R2dbcType.INTEGER, changed.weightGrams()))
                .bind("active", changed.active())
                .bind("version", envelope.aggregateVersion())
                .bind("changedAt", changed.changedAt())
                // xmax is 0 on a row version this statement inserted, not on one it updated
                .map(row -> Boolean.TRUE.equals(row.get("inserted", Boolean.class)) ? Applied.INSERTED : Applied.UPDATED)
                .one()
                .defaultIfEmpty(Applied.STALE);
    }

    /** What {@link #apply} did. */
    enum Applied { INSERTED, UPDATED, STALE }

    /** Takes the product off sale, unless a newer version is already there; unknown products stay unknown. */
    Mono<Long> deactivate(EventEnvelope<?> envelope, String sku) {
        return database.sql("""
                        UPDATE product SET active = false, catalog_version = :version, updated_at = now()
                        WHERE sku = :sku AND catalog_version < :version""")
                .bind("sku", sku)
                .bind("version", envelope.aggregateVersion())
                .fetch()
                .rowsUpdated();
    }

    private static CatalogProduct product(Readable row) {
        return new CatalogProduct(
                row.get("sku", String.class),
                row.get("name", String.class),
                row.get("image_url", String.class),
                new Money(row.get("price_amount", Long.class), row.get("price_currency", String.class)),
                row.get("weight_grams", Integer.class),
                Boolean.TRUE.equals(row.get("active", Boolean.class)),
                row.get("catalog_version", Long.class),
                row.get("changed_at", OffsetDateTime.class).toInstant());
    }
}
