package dev.surge.order.cart;

import java.time.OffsetDateTime;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;

import dev.surge.order.pricing.Money;
import io.r2dbc.spi.Readable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Carts in PostgreSQL. */
@Repository
class R2dbcCartRepository {

    private final DatabaseClient database;

    R2dbcCartRepository(DatabaseClient database) {
        this.database = database;
    }

    /** Creates the cart if needed and bumps its version; the row stays locked until the transaction ends. */
    Mono<Long> lockAndBump(String userId) {
        return database.sql("""
                        INSERT INTO cart (user_id, version) VALUES (:userId, 1)
                        ON CONFLICT (user_id) DO UPDATE SET version = cart.version + 1, updated_at = now()
                        RETURNING version""")
                .bind("userId", userId)
                .map(row -> row.get("version", Long.class))
                .one();
    }

    /** Locks the cart without changing it; emits its version, 0 when the shopper has none. */
    Mono<Long> lock(String userId) {
        return database.sql("SELECT version FROM cart WHERE user_id = :userId FOR UPDATE")
                .bind("userId", userId)
                .map(row -> row.get("version", Long.class))
                .one()
                .defaultIfEmpty(0L);
    }

    Mono<Long> version(String userId) {
        return database.sql("SELECT version FROM cart WHERE user_id = :userId")
                .bind("userId", userId)
                .map(row -> row.get("version", Long.class))
                .one()
                .defaultIfEmpty(0L);
    }

    /**
     * The cart's version and lines in one statement, so both come from one committed state (two
     * statements could see a change commit between them and pair old lines with a new version).
     */
    Mono<CartSnapshot> snapshot(String userId) {
        return database.sql("""
                        SELECT c.version, l.sku, l.quantity, l.price_when_added, l.currency, l.added_at
                        FROM cart c LEFT JOIN cart_line l ON l.user_id = c.user_id
                        WHERE c.user_id = :userId ORDER BY l.added_at, l.sku""")
                .bind("userId", userId)
                .map(row -> new VersionedLine(row.get("version", Long.class), row.get("sku", String.class) == null ? null : line(row)))
                .all()
                .collectList()
                .map(rows -> new CartSnapshot(rows.isEmpty() ? 0 : rows.getFirst().version(),
                        rows.stream().map(VersionedLine::line).filter(line -> line != null).toList()));
    }

    private record VersionedLine(long version, CartLine line) {
    }

    Flux<CartLine> lines(String userId) {
        return database.sql("""
                        SELECT sku, quantity, price_when_added, currency, added_at FROM cart_line
                        WHERE user_id = :userId ORDER BY added_at, sku""")
                .bind("userId", userId)
                .map(R2dbcCartRepository::line)
                .all();
    }

    /** Sets a line's quantity (adding it when new) and the price it is now added at. */
    Mono<Void> putLine(String userId, String sku, int quantity, Money price) {
        return database.sql("""
                        INSERT INTO cart_line (user_id, sku, quantity, price_when_added, currency)
                        VALUES (:userId, :sku, :quantity, :price, :currency)
                        ON CONFLICT (user_id, sku) DO UPDATE SET quantity = excluded.quantity,
                            price_when_added = excluded.price_when_added, currency = excluded.currency""")
                .bind("userId", userId)
                .bind("sku", sku)
                .bind("quantity", quantity)
                .bind("price", price.amount())
                .bind("currency", price.currency())
                .then();
    }

    Mono<Boolean> deleteLine(String userId, String sku) {
        return database.sql("DELETE FROM cart_line WHERE user_id = :userId AND sku = :sku")
                .bind("userId", userId)
                .bind("sku", sku)
                .fetch()
                .rowsUpdated()
                .map(deleted -> deleted > 0);
    }

    Mono<Void> deleteAll(String userId) {
        return database.sql("DELETE FROM cart_line WHERE user_id = :userId")
                .bind("userId", userId)
                .then();
    }

    private static CartLine line(Readable row) {
        return new CartLine(row.get("sku", String.class), row.get("quantity", Integer.class),
                new Money(row.get("price_when_added", Long.class), row.get("currency", String.class)),
                row.get("added_at", OffsetDateTime.class).toInstant());
    }
}
