package dev.surge.order.orders;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;

import dev.surge.order.address.ShippingAddress;
import dev.surge.order.pricing.Money;
import dev.surge.service.web.Page;
import dev.surge.service.web.PageRequest;
import io.r2dbc.spi.Readable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/** Orders, their lines, payment attempts and timeline in PostgreSQL. */
@Repository
class R2dbcOrderRepository implements Orders {

    private final DatabaseClient database;
    private final JsonMapper json;

    R2dbcOrderRepository(DatabaseClient database, JsonMapper json) {
        this.database = database;
        this.json = json;
    }

    @Override
    public Mono<OrderView> find(String userId, UUID id) {
        return database.sql("""
                        SELECT id, status, version, currency, subtotal, shipping, tax, total, ship_to::text AS ship_to, placed_at
                        FROM orders WHERE id = :id AND user_id = :userId""")
                .bind("id", id)
                .bind("userId", userId)
                .map(this::head)
                .one()
                .flatMap(this::complete);
    }

    @Override
    public Mono<Page<OrderView>> list(String userId, PageRequest page) {
        Mono<Long> total = database.sql("SELECT count(*) AS n FROM orders WHERE user_id = :userId")
                .bind("userId", userId)
                .map(row -> row.get("n", Long.class))
                .one();
        Mono<List<OrderView>> items = database.sql("""
                        SELECT id, status, version, currency, subtotal, shipping, tax, total, ship_to::text AS ship_to, placed_at
                        FROM orders WHERE user_id = :userId
                        ORDER BY placed_at DESC, id DESC LIMIT :limit OFFSET :offset""")
                .bind("userId", userId)
                .bind("limit", page.size())
                .bind("offset", page.offset())
                .map(this::head)
                .all()
                // read the whole page before the next queries: they cannot run while this result still streams
                .collectList()
                .flatMapMany(Flux::fromIterable)
                .concatMap(this::complete)
                .collectList();
        return Mono.zip(items, total)
                .map(found -> new Page<>(found.getT1(), page.page(), page.size(), found.getT2()));
    }

    private OrderView head(Readable row) {
        String currency = row.get("currency", String.class);
        return new OrderView(row.get("id", UUID.class), OrderStatus.valueOf(row.get("status", String.class)),
                row.get("version", Long.class), List.of(), money(row, "subtotal", currency), money(row, "shipping", currency),
                money(row, "tax", currency), money(row, "total", currency),
                json.readValue(row.get("ship_to", String.class), ShippingAddress.class), List.of(), List.of(),
                row.get("placed_at", OffsetDateTime.class).toInstant());
    }

    private Mono<OrderView> complete(OrderView head) {
        String currency = head.total().currency();
        Mono<List<OrderView.Line>> lines = database.sql("""
                        SELECT sku, name, quantity, unit_price, line_total FROM order_line WHERE order_id = :id ORDER BY line_no""")
                .bind("id", head.id())
                .map(row -> new OrderView.Line(row.get("sku", String.class), row.get("name", String.class),
                        row.get("quantity", Integer.class), money(row, "unit_price", currency), money(row, "line_total", currency)))
                .all()
                .collectList();
        Mono<List<OrderView.PaymentAttempt>> attempts = database.sql("""
                        SELECT attempt, amount, status, failure_code, requested_at, decided_at FROM payment_attempt
                        WHERE order_id = :id ORDER BY attempt""")
                .bind("id", head.id())
                .map(row -> new OrderView.PaymentAttempt(row.get("attempt", Integer.class), money(row, "amount", currency),
                        row.get("status", String.class), row.get("failure_code", String.class),
                        row.get("requested_at", OffsetDateTime.class).toInstant(), instant(row, "decided_at")))
                .all()
                .collectList();
        Mono<List<OrderView.StatusChange>> timeline = database.sql("""
                        SELECT to_status, reason, changed_at FROM order_status_change WHERE order_id = :id ORDER BY version""")
                .bind("id", head.id())
                .map(row -> new OrderView.StatusChange(OrderStatus.valueOf(row.get("to_status", String.class)),
                        row.get("reason", String.class), row.get("changed_at", OffsetDateTime.class).toInstant()))
                .all()
                .collectList();
        return Mono.zip(lines, attempts, timeline)
                .map(parts -> new OrderView(head.id(), head.status(), head.version(), parts.getT1(), head.subtotal(),
                        head.shipping(), head.tax(), head.total(), head.shipTo(), parts.getT2(), parts.getT3(),
                        head.placedAt()));
    }

    private static Money money(Readable row, String column, String currency) {
        return new Money(row.get(column, Long.class), currency);
    }

    private static Instant instant(Readable row, String column) {
        OffsetDateTime at = row.get(column, OffsetDateTime.class);
        return at == null ? null : at.toInstant();
    }
}
