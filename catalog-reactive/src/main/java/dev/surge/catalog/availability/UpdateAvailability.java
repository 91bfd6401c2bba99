package dev.surge.catalog.availability;

import java.util.List;
import java.util.Map;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Service;

import dev.surge.catalog.cache.CatalogCache;
import dev.surge.events.EventEnvelope;
import dev.surge.events.order.StockLevelChanged;
import dev.surge.messaging.Inbox;
import reactor.core.publisher.Mono;

/**
 * Keeps the stock display in line with cart-order's authoritative stock. An event older than what
 * the product already shows (by the stock's version) changes nothing; a redelivered one neither.
 * An event for a sku with no product yet is kept in {@code stock_level}, which the product's
 * insert starts from.
 */
@Service
class UpdateAvailability {

    static final String CONSUMER = "availability";

    private final DatabaseClient database;
    private final Inbox inbox;
    private final CatalogCache cache;

    UpdateAvailability(DatabaseClient database, Inbox inbox, CatalogCache cache) {
        this.database = database;
        this.inbox = inbox;
        this.cache = cache;
    }

    Mono<Void> apply(EventEnvelope<?> envelope, StockLevelChanged change) {
        return inbox.handleOnce(CONSUMER, envelope.eventId(), () -> update(change, envelope.aggregateVersion()))
                // after the commit: a page cached between the update and the eviction would keep the old count
                .filter(Boolean::booleanValue)
                // the display changed on the product's details and on every page showing it; listings
                // keep their members and order, so no category listing is evicted
                .flatMap(changed -> cache.evictProduct(change.sku(), List.of()));
    }

    /**
     * Keeps the level by sku first, so a sku the catalog has no product for yet keeps it until the
     * product is inserted (which starts from it), then shows it on the product if it exists.
     */
    private Mono<Void> update(StockLevelChanged change, long version) {
        return database.sql("SELECT lock_stock_level(:sku)")
                .bind("sku", change.sku())
                .then()
                .then(database.sql("""
                                INSERT INTO stock_level (sku, available, low_stock_threshold, version)
                                VALUES (:sku, :available, :threshold, :version)
                                ON CONFLICT (sku) DO UPDATE
                                SET available = EXCLUDED.available, low_stock_threshold = EXCLUDED.low_stock_threshold,
                                    version = EXCLUDED.version
                                WHERE stock_level.version < EXCLUDED.version""")
                        .bindValues(values(change, version))
                        .then())
                .then(database.sql("""
                                UPDATE product SET available = :available, low_stock_threshold = :threshold,
                                                   inventory_version = :version
                                WHERE sku = :sku AND inventory_version < :version""")
                        .bindValues(values(change, version))
                        .then());
    }

    private static Map<String, Object> values(StockLevelChanged change, long version) {
        return Map.of("sku", change.sku(), "available", change.available(),
                "threshold", change.lowStockThreshold(), "version", version);
    }
}
