package dev.surge.order.flashsale;

import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.Map;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;

import io.r2dbc.spi.Readable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The {@code flash_sale} and {@code flash_sale_purchase} tables. */
@Repository
class R2dbcFlashSaleRepository {

    private static final String COLUMNS = "sku, starts_at, units, sold, per_shopper_limit, admissions_per_second, adaptive_admission, version, updated_at";

    private final DatabaseClient database;

    R2dbcFlashSaleRepository(DatabaseClient database) {
        this.database = database;
    }

    Mono<FlashSale> find(String sku) {
        return database.sql("SELECT " + COLUMNS + " FROM flash_sale WHERE sku = :sku")
                .bind("sku", sku)
                .map(R2dbcFlashSaleRepository::sale)
                .one();
    }

    /** The sale, its row locked to the end of the caller's transaction. */
    Mono<FlashSale> lock(String sku) {
        return database.sql("SELECT " + COLUMNS + " FROM flash_sale WHERE sku = :sku FOR UPDATE")
                .bind("sku", sku)
                .map(R2dbcFlashSaleRepository::sale)
                .one();
    }

    /** The sales among these skus. */
    Flux<FlashSale> findAll(Collection<String> skus) {
        return database.sql("SELECT " + COLUMNS + " FROM flash_sale WHERE sku = ANY(:skus) ORDER BY sku")
                .bind("skus", skus.toArray(String[]::new))
                .map(R2dbcFlashSaleRepository::sale)
                .all();
    }

    /** Every sku with a sale. */
    Flux<String> skus() {
        return database.sql("SELECT sku FROM flash_sale ORDER BY sku")
                .map(row -> row.get("sku", String.class))
                .all();
    }

    /** What each shopper bought in the sale so far. */
    Flux<Purchase> purchases(String sku) {
        return database.sql("SELECT user_id, quantity FROM flash_sale_purchase WHERE sku = :sku AND quantity > 0")
                .bind("sku", sku)
                .map(row -> new Purchase(row.get("user_id", String.class), row.get("quantity", Integer.class)))
                .all();
    }

    /** The units the sale counts for each of these shoppers; a shopper who holds none is absent. */
    Mono<Map<String, Integer>> purchases(String sku, Collection<String> userIds) {
        return database.sql("SELECT user_id, quantity FROM flash_sale_purchase WHERE sku = :sku AND user_id = ANY(:users)")
                .bind("sku", sku)
                .bind("users", userIds.toArray(String[]::new))
                .map(row -> Map.entry(row.get("user_id", String.class), row.get("quantity", Integer.class)))
                .all()
                .collectMap(Map.Entry::getKey, Map.Entry::getValue);
    }

    /** The units each of these sales counts for the shopper, by sku; a sale they bought nothing of is absent. */
    Mono<Map<String, Integer>> bought(String userId, Collection<String> skus) {
        return database.sql("SELECT sku, quantity FROM flash_sale_purchase WHERE user_id = :userId AND sku = ANY(:skus)")
                .bind("userId", userId)
                .bind("skus", skus.toArray(String[]::new))
                .map(row -> Map.entry(row.get("sku", String.class), row.get("quantity", Integer.class)))
                .all()
                .collectMap(Map.Entry::getKey, Map.Entry::getValue);
    }

    Mono<Long> buyers(String sku) {
        return database.sql("SELECT count(*) AS buyers FROM flash_sale_purchase WHERE sku = :sku AND quantity > 0")
                .bind("sku", sku)
                .map(row -> row.get("buyers", Long.class))
                .one();
    }

    Mono<FlashSale> insert(String sku, FlashSaleForm form) {
        return write("""
                        INSERT INTO flash_sale (sku, starts_at, units, per_shopper_limit, admissions_per_second, adaptive_admission)
                        VALUES (:sku, :startsAt, :units, :limit, :rate, :adaptive)
                        RETURNING\s""" + COLUMNS, sku, form);
    }

    /** A sale that has not started yet, changed; nobody can have bought from it. */
    Mono<FlashSale> update(String sku, FlashSaleForm form) {
        return write("""
                        UPDATE flash_sale SET starts_at = :startsAt, units = :units, per_shopper_limit = :limit,
                                              admissions_per_second = :rate, adaptive_admission = :adaptive,
                                              version = version + 1, updated_at = now()
                        WHERE sku = :sku
                        RETURNING\s""" + COLUMNS, sku, form);
    }

    private Mono<FlashSale> write(String sql, String sku, FlashSaleForm form) {
        return database.sql(sql)
                .bind("sku", sku)
                .bind("startsAt", form.startsAt())
                .bind("units", form.units())
                .bind("limit", form.perShopperLimit())
                .bind("rate", form.admissionsPerSecond())
                .bind("adaptive", form.adaptive())
                .map(R2dbcFlashSaleRepository::sale)
                .one();
    }

    /** The sku's stock, its row locked to the end of the caller's transaction; empty when it was never stocked. */
    Mono<Integer> lockStock(String sku) {
        return database.sql("SELECT available FROM stock WHERE sku = :sku FOR UPDATE")
                .bind("sku", sku)
                .map(row -> row.get("available", Integer.class))
                .one();
    }

    Mono<Boolean> productKnown(String sku) {
        return database.sql("SELECT 1 FROM product WHERE sku = :sku")
                .bind("sku", sku)
                .map(row -> true)
                .one()
                .defaultIfEmpty(false);
    }

    /** One shopper's units in one sale. */
    record Purchase(String userId, int quantity) {
    }

    private static FlashSale sale(Readable row) {
        return new FlashSale(
                row.get("sku", String.class),
                row.get("starts_at", OffsetDateTime.class).toInstant(),
                row.get("units", Integer.class),
                row.get("sold", Integer.class),
                row.get("per_shopper_limit", Integer.class),
                row.get("admissions_per_second", Integer.class),
                row.get("adaptive_admission", Boolean.class),
                row.get("version", Long.class),
                row.get("updated_at", OffsetDateTime.class).toInstant());
    }
}
