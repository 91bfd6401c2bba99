package dev.surge.order.checkout;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;

import dev.surge.events.EventEnvelope;
import dev.surge.events.order.StockLevelChanged;
import dev.surge.messaging.Outbox;
import dev.surge.order.orders.NewOrder;
import dev.surge.order.orders.OrderStatus;
import dev.surge.order.pricing.PricedLine;
import io.r2dbc.spi.Parameters;
import io.r2dbc.spi.R2dbcException;
import io.r2dbc.spi.R2dbcType;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Checkout's write as one statement, so one round trip and one implicit transaction: it holds the
 * {@code Idempotency-Key} (a transaction-scoped advisory lock, then the key's row), checks that the
 * products are still the versions the order was priced from and that the cart is still the version
 * its lines were read at, writes the order, its lines, first payment attempt and timeline, empties
 * the cart, writes the order's events, and takes the stock last, with its {@code StockLevelChanged}
 * rows appended after the update that locked each stock row.
 *
 * <p>The stock update subtracts unconditionally: the {@code CHECK (available >= 0)} on the stock row
 * is what refuses a line with too few units left, and its violation aborts the whole statement, so
 * an order is written with all its stock taken or not at all. The stock rows are locked in sku order
 * only from after the order's writes to the commit that ends the same statement.
 *
 * <p>A line of a sku in a flash sale takes from the sale instead ({@code flash_sale.sold}, under the
 * sale's CHECK) and counts against the shopper's limit ({@code flash_sale_purchase}, under its CHECK),
 * so PostgreSQL alone never sells a sale's unit twice or a shopper one too many, whatever the Redis
 * gate before it let through. Such a line is written only by "buy now" once the sale has started on
 * the database's clock; otherwise nothing is written ({@link Result#saleOpen()}).
 */
@Repository
class OrderPlacement {

    /** Advisory lock namespace of idempotency keys ("IDEM"), kept apart from the address book's. */
    static final long KEY_LOCKS = 0x4944454d;

    private static final String PLACE = """
            WITH g AS MATERIALIZED (
                SELECT pg_try_advisory_xact_lock(hashtextextended(:owner, :space)) AS held,
                       (SELECT count(*) FROM product p
                        JOIN unnest(:skus::text[], :catalogVersions::bigint[]) AS l(sku, version)
                          ON p.sku = l.sku AND p.catalog_version = l.version) = :lineCount AS fresh,
                       (SELECT count(*) FROM stock WHERE sku = ANY(:skus::text[])) = :lineCount AS stocked,
                       -- a flash sale's sku is sold through the sale only, by "buy now" once it has started
                       (SELECT count(*) FROM flash_sale f WHERE f.sku = ANY(:skus::text[])) AS sale_lines,
                       NOT EXISTS (SELECT 1 FROM flash_sale f
                                   WHERE f.sku = ANY(:skus::text[]) AND (:fromCart OR f.starts_at > now())) AS sale_open
            ),
            c AS (
                UPDATE cart SET version = version + 1, updated_at = now()
                WHERE :fromCart AND user_id = :userId AND version = :cartVersion
                  AND (SELECT held AND fresh AND stocked AND sale_open FROM g)
                  -- a repeated key writes nothing, its cart's version included
                  AND NOT EXISTS (SELECT 1 FROM idempotency_key WHERE user_id = :userId AND key = :key)
                RETURNING version
            ),
            k AS (
                INSERT INTO idempotency_key (user_id, key, operation, request_hash, order_id, status, response)
                SELECT :userId, :key, :operation, :hash, :orderId, 201, CAST(:response AS JSONB)
                FROM g WHERE g.held AND g.fresh AND g.stocked AND g.sale_open AND (NOT :fromCart OR EXISTS (SELECT 1 FROM c))
                ON CONFLICT (user_id, key) DO NOTHING
                RETURNING order_id
            ),
            o AS (
                INSERT INTO orders (id, user_id, status, version, currency, subtotal, shipping, tax, total, ship_to,
                                    email, payment_attempt, from_cart, placed_at, updated_at)
                SELECT order_id, :userId, :status, 1, :currency, :subtotal, :shipping, :tax, :total,
                       CAST(:shipTo AS JSONB), :email, 1, :fromCart, :placedAt, :placedAt
                FROM k
                RETURNING id
            ),
            ol AS (
                INSERT INTO order_line (order_id, line_no, sku, name, quantity, unit_price, line_total, from_flash_sale)
                SELECT k.order_id, l.n, l.sku, l.name, l.quantity, l.unit_price, l.line_total,
                       EXISTS (SELECT 1 FROM flash_sale f WHERE f.sku = l.sku)
                FROM k, unnest(:skus::text[], :names::text[], :quantities::int[], :unitPrices::bigint[], :lineTotals::bigint[])
                        WITH ORDINALITY AS l(sku, name, quantity, unit_price, line_total, n)
                RETURNING line_no
            ),
            pa AS (
                INSERT INTO payment_attempt (order_id, attempt, amount, status, requested_at)
                SELECT order_id, 1, :total, 'REQUESTED', :placedAt FROM k
                RETURNING attempt
            ),
            sc AS (
                INSERT INTO order_status_change (order_id, version, from_status, to_status, changed_at)
                SELECT order_id, 1, NULL, :status, :placedAt FROM k
                RETURNING version
            ),
            cl AS (
                DELETE FROM cart_line WHERE :fromCart AND user_id = :userId AND EXISTS (SELECT 1 FROM k)
                RETURNING sku
            ),
            ev AS (
                INSERT INTO outbox %1$s
                SELECT ev.event_id, ev.topic, ev.aggregate_id, ev.event_type, ev.schema_version, CAST(ev.envelope AS JSONB)
                FROM k, %2$s
                RETURNING id
            ),
            lk AS (
                -- everything else is written first: the stock rows are locked from here to the commit (the
                -- foreign keys of the order's rows are checked at the statement's end, inside that time),
                -- in sku order like every other writer of stock, so two orders never wait for each other crosswise
                SELECT sku FROM stock
                WHERE sku = ANY(:skus::text[])
                  AND NOT EXISTS (SELECT 1 FROM flash_sale f WHERE f.sku = stock.sku)
                  AND (SELECT count(*) FROM o) + (SELECT count(*) FROM ol) + (SELECT count(*) FROM pa)
                      + (SELECT count(*) FROM sc) + (SELECT count(*) FROM cl) + (SELECT count(*) FROM ev) > 0
                ORDER BY sku
                FOR NO KEY UPDATE
            ),
            s AS (
                UPDATE stock SET available = stock.available - l.quantity, version = stock.version + 1, updated_at = now()
                FROM unnest(:skus::text[], :quantities::int[]) AS l(sku, quantity)
                WHERE stock.sku = l.sku AND NOT EXISTS (SELECT 1 FROM flash_sale f WHERE f.sku = l.sku)
                  AND (SELECT count(*) FROM lk) = :lineCount - (SELECT sale_lines FROM g)
                RETURNING stock.sku, stock.available, stock.low_stock_threshold, stock.version
            ),
            fs AS (
                -- a sale line takes from its sale (its CHECK refuses more than the sale has), the sale's row locked
                -- after the stock rows, as every writer of both locks them, to the commit
                UPDATE flash_sale SET sold = flash_sale.sold + l.quantity, updated_at = now()
                FROM unnest(:skus::text[], :quantities::int[]) AS l(sku, quantity)
                WHERE flash_sale.sku = l.sku
                  AND (SELECT count(*) FROM o) + (SELECT count(*) FROM ol) + (SELECT count(*) FROM pa)
                      + (SELECT count(*) FROM sc) + (SELECT count(*) FROM cl) + (SELECT count(*) FROM ev) > 0
                  AND (SELECT count(*) FROM lk) = :lineCount - (SELECT sale_lines FROM g)
                RETURNING flash_sale.sku, l.quantity, flash_sale.per_shopper_limit
            ),
            fp AS (
                -- the shopper's units in the sale: its CHECK is the per-shopper limit, whatever Redis counted
                INSERT INTO flash_sale_purchase AS p (sku, user_id, quantity, per_shopper_limit)
                SELECT fs.sku, :userId, fs.quantity, fs.per_shopper_limit FROM fs
                ON CONFLICT (sku, user_id) DO UPDATE
                    SET quantity = p.quantity + excluded.quantity, per_shopper_limit = excluded.per_shopper_limit
                RETURNING sku
            ),
            sv AS (
                INSERT INTO outbox %1$s
                SELECT st.event_id, st.topic, st.aggregate_id, st.event_type, st.schema_version,
                       jsonb_set(jsonb_set(jsonb_set(CAST(st.envelope AS JSONB),
                                 '{payload,available}', to_jsonb(s.available)),
                                 '{payload,lowStockThreshold}', to_jsonb(s.low_stock_threshold)),
                                 '{aggregateVersion}', to_jsonb(s.version))
                FROM s JOIN %3$s ON st.aggregate_id = s.sku
                RETURNING id
            )
            SELECT g.held, g.fresh, g.stocked, g.sale_open, (SELECT count(*) FROM c) AS cart_taken,
                   (SELECT count(*) FROM k) AS placed, (SELECT count(*) FROM s) AS taken, (SELECT count(*) FROM sv) AS announced,
                   ARRAY(SELECT sku FROM fs) AS sale_skus, (SELECT count(*) FROM fp) AS counted
            FROM g""".formatted(Outbox.COLUMNS, Outbox.unnest("ev"), Outbox.unnest("st"));

    private final DatabaseClient database;
    private final Outbox outbox;
    private final JsonMapper json;

    OrderPlacement(DatabaseClient database, Outbox outbox, JsonMapper json) {
        this.database = database;
        this.outbox = outbox;
        this.json = json;
    }

    /**
     * What the statement found and did.
     *
     * @param held whether this request held its key (else another request with it is running)
     * @param fresh whether every product was still at the version the order was priced from
     * @param stocked whether every sku has a stock row
     * @param cartTaken whether the cart was still at the version its lines were read at (cart orders)
     * @param placed whether the order was written (else nothing was)
     * @param saleOpen whether every line of a flash sale's sku could be sold through its sale (started, not a cart order)
     * @param saleSkus the skus whose units the order took from their flash sales
     */
    record Result(boolean held, boolean fresh, boolean stocked, boolean cartTaken, boolean placed, boolean saleOpen,
            List<String> saleSkus) {
    }

    /**
     * One checkout's write.
     *
     * @param order the order, priced
     * @param catalogVersions each line's product version the price was taken from, in line order
     * @param cartVersion the cart's version its lines were read at, for an order from the cart
     * @param key the shopper's {@code Idempotency-Key} and the request's hash
     * @param response the body the key replays
     * @param events the order's own events, appended as they are
     */
    record Placement(NewOrder order, List<Long> catalogVersions, long cartVersion, String key, String hash,
            String response, Instant placedAt, List<EventEnvelope<?>> events) {
    }

    Mono<Result> place(Placement placement) {
        NewOrder order = placement.order();
        List<PricedLine> lines = order.lines();
        // each stock row's event, finished in SQL with the level the update left
        List<EventEnvelope<StockLevelChanged>> stockEvents = lines.stream()
                .sorted(Comparator.comparing(PricedLine::sku))
                .map(line -> EventEnvelope.of(line.sku(), 1, new StockLevelChanged(line.sku(), 0, 0, "ORDER_PLACED")))
                .toList();
        DatabaseClient.GenericExecuteSpec spec = database.sql(PLACE)
                .bind("owner", IdempotencyRecords.lockOwner(order.userId(), placement.key()))
                .bind("space", KEY_LOCKS)
                .bind("skus", lines.stream().map(PricedLine::sku).toArray(String[]::new))
                .bind("catalogVersions", placement.catalogVersions().toArray(Long[]::new))
                .bind("lineCount", lines.size())
                .bind("fromCart", order.fromCart())
                .bind("userId", order.userId())
                .bind("cartVersion", placement.cartVersion())
                .bind("key", placement.key())
                .bind("operation", PlaceOrder.OPERATION)
                .bind("hash", placement.hash())
                .bind("orderId", order.id())
                .bind("response", placement.response())
                .bind("status", OrderStatus.PENDING_PAYMENT.name())
                .bind("currency", order.quote().total().currency())
                .bind("subtotal", order.quote().subtotal().amount())
                .bind("shipping", order.quote().shipping().amount())
                .bind("tax", order.quote().tax().amount())
                .bind("total", order.quote().total().amount())
                .bind("shipTo", json.writeValueAsString(order.shipTo()))
                .bind("email", Parameters.in(R2dbcType.VARCHAR, order.email()))
                .bind("placedAt", placement.placedAt())
                .bind("names", lines.stream().map(PricedLine::name).toArray(String[]::new))
                .bind("quantities", lines.stream().map(PricedLine::quantity).toArray(Integer[]::new))
                .bind("unitPrices", lines.stream().map(line -> line.unitPrice().amount()).toArray(Long[]::new))
                .bind("lineTotals", lines.stream().map(line -> line.lineTotal().amount()).toArray(Long[]::new));
        spec = outbox.rows(placement.events()).bind(spec, "ev");
        spec = outbox.rows(stockEvents).bind(spec, "st");
        return spec.map(row -> {
            Result result = new Result(row.get("held", Boolean.class), row.get("fresh", Boolean.class),
                    row.get("stocked", Boolean.class), row.get("cart_taken", Long.class) > 0, row.get("placed", Long.class) > 0,
                    row.get("sale_open", Boolean.class), List.of(row.get("sale_skus", String[].class)));
            long taken = row.get("taken", Long.class);
            if (result.placed() && (taken + result.saleSkus().size() != lines.size() || row.get("announced", Long.class) != taken
                    || row.get("counted", Long.class) != result.saleSkus().size())) {
                // cannot happen while stock rows are never deleted: the statement checked they exist
                throw new IllegalStateException("order " + order.id() + " was written without all its stock taken");
            }
            return result;
        }).one().flatMap(result -> result.placed() ? outbox.written().thenReturn(result) : Mono.just(result));
    }

    /** The shopper's cart lines and the version they were read at; version -1 when there is no cart yet. */
    Mono<CartSnapshot> cart(String userId) {
        return database.sql("""
                        SELECT c.version, l.sku, l.quantity FROM cart c LEFT JOIN cart_line l ON l.user_id = c.user_id
                        WHERE c.user_id = :userId ORDER BY l.sku""")
                .bind("userId", userId)
                .map(row -> new CartRow(row.get("version", Long.class), row.get("sku", String.class), row.get("quantity", Integer.class)))
                .all()
                .collectList()
                .map(rows -> new CartSnapshot(rows.isEmpty() ? -1 : rows.getFirst().version(), rows.stream()
                        .filter(row -> row.sku() != null)
                        .map(row -> new CartSnapshot.Line(row.sku(), row.quantity()))
                        .toList()));
    }

    private record CartRow(long version, String sku, Integer quantity) {
    }

    /** A cart as checkout read it. */
    record CartSnapshot(long version, List<Line> lines) {

        record Line(String sku, int quantity) {
        }
    }

    /** Whether a failure is the stock row's {@code CHECK (available >= 0)}: a line had too few units left. */
    static boolean tooFewLeft(Throwable error) {
        R2dbcException sql = sqlCause(error);
        return sql != null && "23514".equals(sql.getSqlState()) && sql.getMessage() != null
                && sql.getMessage().contains("stock_available_check");
    }

    /**
     * Whether a failure is a flash sale's CHECK: a sale line wanted more than its sale has left, or more
     * than the shopper's limit allows, whatever the gate let through.
     */
    static boolean saleRefused(Throwable error) {
        R2dbcException sql = sqlCause(error);
        return sql != null && "23514".equals(sql.getSqlState()) && sql.getMessage() != null
                && (sql.getMessage().contains("flash_sale_units_left") || sql.getMessage().contains("flash_sale_purchase_within_limit"));
    }

    /** Whether a failure is one a fresh attempt can get past: two orders' stock rows locked crosswise. */
    static boolean deadlocked(Throwable error) {
        R2dbcException sql = sqlCause(error);
        return sql != null && "40P01".equals(sql.getSqlState());
    }

    /** Whether the statement gave up waiting ({@code lock_timeout}, {@code statement_timeout}): nothing was written. */
    static boolean gaveUp(Throwable error) {
        R2dbcException sql = sqlCause(error);
        return sql != null && ("55P03".equals(sql.getSqlState()) || "57014".equals(sql.getSqlState()));
    }

    /** The driver's exception under Spring's translation of it, if any. */
    private static R2dbcException sqlCause(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof R2dbcException sql) {
                return sql;
            }
        }
        return null;
    }
}
