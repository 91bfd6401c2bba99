package dev.surge.catalog.administration;

import java.time.OffsetDateTime;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;

import dev.surge.events.EventEnvelope;
import dev.surge.events.Money;
import dev.surge.events.catalog.ProductChanged;
import dev.surge.messaging.Outbox;
import io.r2dbc.spi.Readable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Announces every product whose current version was never written to the outbox: products loaded
 * by SQL (the dev demo, a bulk import) and, after {@link #republishAll}, every product. Other
 * services build their read models from these events, so this is how a fresh cart-order database
 * learns the whole catalog through the same path as every later change.
 *
 * <p>Products are announced in chunks, one transaction each: the chunk's rows are locked
 * ({@code FOR UPDATE SKIP LOCKED}), their events appended after the lock (so a concurrent change of
 * one product waits and its events keep their order), and their versions marked announced. Two
 * instances share the work; a crash re-announces at most one chunk, which consumers drop as not newer.
 */
@Service
class ProductAnnouncements {

    private static final int CHUNK = 500;

    private static final Logger log = LoggerFactory.getLogger(ProductAnnouncements.class);

    private final DatabaseClient database;
    private final Outbox outbox;
    private final TransactionalOperator transactions;

    ProductAnnouncements(DatabaseClient database, Outbox outbox, TransactionalOperator transactions) {
        this.database = database;
        this.outbox = outbox;
        this.transactions = transactions;
    }

    /** Announces every product not announced at its current version; emits how many were. */
    Mono<Long> announcePending() {
        return Mono.defer(() -> transactions.transactional(announceChunk()))
                .repeat()
                .takeUntil(announced -> announced < CHUNK)
                .reduce(0L, Long::sum)
                .doOnNext(total -> {
                    if (total > 0) {
                        log.info("Announced {} products on shop.catalog.v1", total);
                    }
                });
    }

    /** Announces every product again, whatever was announced before; emits how many were. */
    Mono<Long> republishAll() {
        return database.sql("UPDATE product SET announced_version = NULL WHERE announced_version IS NOT NULL")
                .fetch()
                .rowsUpdated()
                .then(announcePending());
    }

    private Mono<Long> announceChunk() {
        // the chunk is read whole first: the appends cannot run on this connection while its rows still stream
        return pendingChunk()
                .collectList()
                .flatMapMany(Flux::fromIterable)
                .concatMap(product -> outbox.append(product.envelope()).thenReturn(product.sku()))
                .collectList()
                .flatMap(this::markAnnounced);
    }

    private Flux<Unannounced> pendingChunk() {
        return database.sql("""
                        SELECT p.sku, p.name, p.brand, p.category_id, p.price_amount, p.price_currency, p.active,
                               p.version, p.updated_at,
                               (SELECT i.url FROM product_image i WHERE i.sku = p.sku ORDER BY i.position LIMIT 1) AS image_url
                        FROM product p
                        WHERE p.announced_version IS DISTINCT FROM p.version
                        ORDER BY p.sku
                        LIMIT :chunk
                        FOR UPDATE OF p SKIP LOCKED""")
                .bind("chunk", CHUNK)
                .map(ProductAnnouncements::unannounced)
                .all();
    }

    private Mono<Long> markAnnounced(List<String> skus) {
        if (skus.isEmpty()) {
            return Mono.just(0L);
        }
        return database.sql("UPDATE product SET announced_version = version WHERE sku = ANY(:skus)")
                .bind("skus", skus.toArray(String[]::new))
                .fetch()
                .rowsUpdated();
    }

    private static Unannounced unannounced(Readable row) {
        String sku = row.get("sku", String.class);
        long version = row.get("version", Long.class);
        // the whole state, active or not: a read model learning the catalog afresh knows off-sale products too
        ProductChanged changed = new ProductChanged(sku, row.get("name", String.class), row.get("brand", String.class),
                row.get("category_id", String.class),
                new Money(row.get("price_amount", Long.class), row.get("price_currency", String.class).strip()),
                Boolean.TRUE.equals(row.get("active", Boolean.class)),
                row.get("updated_at", OffsetDateTime.class).toInstant(), row.get("image_url", String.class), null);
        return new Unannounced(sku, EventEnvelope.of(sku, version, changed));
    }

    private record Unannounced(String sku, EventEnvelope<?> envelope) {
    }
}
