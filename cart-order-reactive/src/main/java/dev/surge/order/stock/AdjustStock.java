package dev.surge.order.stock;

import java.time.OffsetDateTime;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;

import dev.surge.events.EventEnvelope;
import dev.surge.events.order.StockLevelChanged;
import dev.surge.messaging.Outbox;
import dev.surge.service.web.Conflict;
import dev.surge.service.web.NotFound;
import io.r2dbc.spi.Parameters;
import io.r2dbc.spi.R2dbcType;
import io.r2dbc.spi.Readable;
import reactor.core.publisher.Mono;

/**
 * Ops set a sku's stock. The new level and its {@code StockLevelChanged} commit together (outbox),
 * so catalog's display follows every change and none is lost while Kafka is away. Setting the
 * level it already has changes nothing and announces nothing, so a retried {@code PUT} is harmless.
 */
@Service
class AdjustStock {

    static final String REASON = "ADJUSTED";

    private static final String COLUMNS = "sku, available, low_stock_threshold, version, updated_at";

    private final DatabaseClient database;
    private final Outbox outbox;
    private final TransactionalOperator transactions;

    AdjustStock(DatabaseClient database, Outbox outbox, TransactionalOperator transactions) {
        this.database = database;
        this.outbox = outbox;
        this.transactions = transactions;
    }

    /**
     * Sets the level; with {@code expectedVersion} only if the stock is still at that version (ops read
     * 10 and mean 15, while orders took 3 meanwhile: a blind write would make 3 units up), else a
     * {@code 412 …/problems/stock-changed} naming the current level.
     */
    Mono<StockLevel> set(String sku, StockForm form, Long expectedVersion) {
        Mono<StockLevel> change = requireKnownProduct(sku)
                .then(expectedVersion == null ? Mono.empty() : requireVersion(sku, expectedVersion))
                .then(upsert(sku, form))
                // appended after the upsert, which locks the stock row: one sku's events keep their order
                .flatMap(changed -> outbox.append(EventEnvelope.of(sku, changed.version(),
                                new StockLevelChanged(sku, changed.available(), changed.lowStockThreshold(), REASON)))
                        .thenReturn(changed))
                .switchIfEmpty(Mono.defer(() -> current(sku)));
        return transactions.transactional(change);
    }

    /**
     * Gives a sku its first stock level, announced like any other change; a sku that has a level
     * keeps it. Joins the caller's transaction.
     */
    Mono<Void> initial(String sku, int available) {
        return database.sql("""
                        INSERT INTO stock (sku, available, low_stock_threshold, version) VALUES (:sku, :available, :threshold, 1)
                        ON CONFLICT (sku) DO NOTHING
                        RETURNING\s""" + COLUMNS)
                .bind("sku", sku)
                .bind("available", available)
                .bind("threshold", StockForm.DEFAULT_LOW_STOCK_THRESHOLD)
                .map(AdjustStock::level)
                .one()
                .flatMap(level -> outbox.append(EventEnvelope.of(sku, level.version(),
                        new StockLevelChanged(sku, level.available(), level.lowStockThreshold(), REASON))));
    }

    Mono<StockLevel> current(String sku) {
        return database.sql("SELECT " + COLUMNS + " FROM stock WHERE sku = :sku")
                .bind("sku", sku)
                .map(AdjustStock::level)
                .one()
                .switchIfEmpty(Mono.defer(() -> requireKnownProduct(sku).thenReturn(StockLevel.neverSet(sku))));
    }

    private Mono<Void> requireVersion(String sku, long expected) {
        return database.sql("SELECT " + COLUMNS + " FROM stock WHERE sku = :sku FOR UPDATE")
                .bind("sku", sku)
                .map(AdjustStock::level)
                .one()
                .defaultIfEmpty(StockLevel.neverSet(sku))
                .flatMap(current -> current.version() == expected
                        ? Mono.<Void>empty()
                        : Mono.error(new Conflict("stock-changed", HttpStatus.PRECONDITION_FAILED, "Stock changed",
                                "The stock of '" + sku + "' is at version " + current.version() + ", not " + expected
                                        + "; read it again and decide on the new level",
                                Map.of("sku", sku, "available", current.available(), "version", current.version()))));
    }

    private Mono<Void> requireKnownProduct(String sku) {
        return database.sql("SELECT 1 FROM product WHERE sku = :sku")
                .bind("sku", sku)
                .map(row -> true)
                .one()
                .switchIfEmpty(Mono.error(() -> new NotFound("product", sku)))
                .then();
    }

    /** Emits the new level when it changed, nothing when it already was so. */
    private Mono<StockLevel> upsert(String sku, StockForm form) {
        return database.sql("""
                        INSERT INTO stock AS s (sku, available, low_stock_threshold, version)
                        VALUES (:sku, :available, coalesce(:threshold, :defaultThreshold), 1)
                        ON CONFLICT (sku) DO UPDATE SET
                            available = excluded.available,
                            low_stock_threshold = coalesce(:threshold, s.low_stock_threshold),
                            version = s.version + 1,
                            updated_at = now()
                        WHERE (s.available, s.low_stock_threshold)
                              IS DISTINCT FROM (excluded.available, coalesce(:threshold, s.low_stock_threshold))
                        RETURNING\s""" + COLUMNS)
                .bind("sku", sku)
                .bind("available", form.available())
                .bind("threshold", Parameters.in(R2dbcType.INTEGER, form.lowStockThreshold()))
                .bind("defaultThreshold", StockForm.DEFAULT_LOW_STOCK_THRESHOLD)
                .map(AdjustStock::level)
                .one();
    }

    private static StockLevel level(Readable row) {
        return new StockLevel(
                row.get("sku", String.class),
                row.get("available", Integer.class),
                row.get("low_stock_threshold", Integer.class),
                row.get("version", Long.class),
                row.get("updated_at", OffsetDateTime.class).toInstant());
    }
}
