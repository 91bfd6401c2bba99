package dev.surge.order.stock;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;

import dev.surge.events.EventEnvelope;
import dev.surge.events.order.StockLevelChanged;
import dev.surge.messaging.Outbox;
import reactor.core.publisher.Mono;

/** {@link StockLedger} over the {@code stock} table. */
@Repository
class R2dbcStockLedger implements StockLedger {

    private final DatabaseClient database;
    private final Outbox outbox;

    R2dbcStockLedger(DatabaseClient database, Outbox outbox) {
        this.database = database;
        this.outbox = outbox;
    }

    @Override
    public Mono<Map<String, Availability>> availability(Collection<String> skus) {
        Map<String, Availability> none = new HashMap<>();
        skus.forEach(sku -> none.put(sku, Availability.none(sku)));
        if (skus.isEmpty()) {
            return Mono.just(none);
        }
        return database.sql("SELECT sku, available, low_stock_threshold FROM stock WHERE sku = ANY(:skus)")
                .bind("skus", skus.toArray(String[]::new))
                .map(row -> Availability.of(row.get("sku", String.class), row.get("available", Integer.class),
                        row.get("low_stock_threshold", Integer.class)))
                .all()
                .collectMap(Availability::sku)
                .map(found -> {
                    Map<String, Availability> all = new HashMap<>(none);
                    all.putAll(found);
                    return all;
                });
    }

    @Override
    public Mono<Boolean> take(String sku, int quantity, String reason) {
        // the row lock is held from here to the commit: callers run this last in their transaction
        return change("""
                UPDATE stock SET available = available - :quantity, version = version + 1, updated_at = now()
                WHERE sku = :sku AND available >= :quantity
                RETURNING available, low_stock_threshold, version""", sku, quantity, reason)
                .hasElement();
    }

    @Override
    public Mono<Void> giveBack(String sku, int quantity, String reason) {
        return change("""
                UPDATE stock SET available = available + :quantity, version = version + 1, updated_at = now()
                WHERE sku = :sku
                RETURNING available, low_stock_threshold, version""", sku, quantity, reason)
                .then();
    }

    private Mono<StockLevelChanged> change(String sql, String sku, int quantity, String reason) {
        return database.sql(sql)
                .bind("sku", sku)
                .bind("quantity", quantity)
                .map(row -> new Changed(row.get("available", Integer.class), row.get("low_stock_threshold", Integer.class),
                        row.get("version", Long.class)))
                .one()
                // appended after the update that locked the row: one sku's events keep their order
                .flatMap(changed -> {
                    StockLevelChanged event = new StockLevelChanged(sku, changed.available(), changed.threshold(), reason);
                    return outbox.append(EventEnvelope.of(sku, changed.version(), event)).thenReturn(event);
                });
    }

    private record Changed(int available, int threshold, long version) {
    }
}
