package dev.surge.order.flashsale;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

import dev.surge.order.copies.RedisCopies;
import reactor.core.publisher.Mono;

/**
 * A flash sale order's units after checkout: given back to the sale and to the shopper's limit when
 * the order stops holding them (payment failed, timed out, cancelled), taken from it again by a
 * payment retry. Each joins the caller's transaction, locking the sale's row, then the shopper's, as
 * checkout does; the gate in Redis follows once the transaction commits.
 */
@Component
public class SaleUnits {

    private final DatabaseClient database;
    private final RedisStockGate gate;

    SaleUnits(DatabaseClient database, RedisStockGate gate) {
        this.database = database;
        this.gate = gate;
    }

    public Mono<Void> giveBack(String sku, String userId, int quantity) {
        return database.sql("""
                        WITH s AS (
                            UPDATE flash_sale SET sold = sold - :quantity, updated_at = now() WHERE sku = :sku RETURNING sku
                        )
                        UPDATE flash_sale_purchase SET quantity = greatest(quantity - :quantity, 0)
                        WHERE sku = (SELECT sku FROM s) AND user_id = :userId""")
                .bind("sku", sku)
                .bind("userId", userId)
                .bind("quantity", quantity)
                .then()
                .then(RedisCopies.afterCommit(() -> gate.returned(userId, sku, quantity)));
    }

    /**
     * Takes the units from the sale again, within what is left and the shopper's limit; emits
     * {@code false} (and changes nothing) when either is short.
     */
    public Mono<Boolean> take(String sku, String userId, int quantity) {
        return database.sql("""
                        WITH s AS (
                            UPDATE flash_sale SET sold = sold + :quantity, updated_at = now()
                            WHERE sku = :sku AND sold + :quantity <= units
                            RETURNING sku
                        ),
                        p AS (
                            UPDATE flash_sale_purchase SET quantity = quantity + :quantity
                            WHERE sku = (SELECT sku FROM s) AND user_id = :userId AND quantity + :quantity <= per_shopper_limit
                            RETURNING sku
                        )
                        SELECT (SELECT count(*) FROM s) + (SELECT count(*) FROM p) AS taken""")
                .bind("sku", sku)
                .bind("userId", userId)
                .bind("quantity", quantity)
                .map(row -> row.get("taken", Long.class) == 2)
                .one()
                .flatMap(taken -> taken
                        ? RedisCopies.afterCommit(() -> gate.takenAgain(userId, sku, quantity)).thenReturn(true)
                        // a sale short of units with the shopper's row untouched: the caller's transaction rolls back
                        : Mono.just(false));
    }
}
