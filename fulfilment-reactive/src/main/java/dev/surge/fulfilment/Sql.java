package dev.surge.fulfilment;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.springframework.r2dbc.core.DatabaseClient;

import dev.surge.service.web.Page;
import dev.surge.service.web.PageRequest;
import io.r2dbc.spi.Readable;
import reactor.core.publisher.Mono;

/** The small pieces every R2DBC adapter of this service writes the same way. */
public final class Sql {

    private Sql() {
    }

    /** A duration as the seconds {@code make_interval(secs => ...)} takes, to the millisecond. */
    public static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }

    /** A {@code timestamptz} column as an instant, {@code null} when the column is. */
    public static Instant instant(Readable row, String column) {
        OffsetDateTime value = row.get(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    /**
     * One page of {@code SELECT <columns> FROM <table> <filter> ORDER BY <order>} and the count of all
     * its pages, in the shape every list has.
     */
    public static <T> Mono<Page<T>> page(DatabaseClient database, String columns, String table, String order, Filter filter,
            PageRequest page, Function<Readable, T> row) {
        Mono<List<T>> items = filter.bind(database.sql("SELECT " + columns + " FROM " + table + filter.where()
                        + " ORDER BY " + order + " LIMIT :limit OFFSET :offset"))
                .bind("limit", page.size())
                .bind("offset", page.offset())
                .map(row::apply)
                .all()
                .collectList();
        Mono<Long> total = filter.bind(database.sql("SELECT count(*) AS n FROM " + table + filter.where()))
                .map(counted -> counted.get("n", Long.class))
                .one();
        return items.zipWith(total, (found, all) -> new Page<>(found, page.page(), page.size(), all));
    }

    /** Binds a value that may be absent (R2DBC needs the type of a null). */
    public static DatabaseClient.GenericExecuteSpec bindNullable(DatabaseClient.GenericExecuteSpec spec, String name, Object value,
            Class<?> type) {
        return value == null ? spec.bindNull(name, type) : spec.bind(name, value);
    }

    /**
     * Optional equality filters of a list query: each column whose value is not {@code null} becomes
     * {@code column = :column}, and only those are bound.
     */
    public static final class Filter {

        private final Map<String, Object> equalities = new LinkedHashMap<>();

        public Filter equal(String column, Object value) {
            if (value != null) {
                equalities.put(column, value instanceof Enum<?> constant ? constant.name() : value);
            }
            return this;
        }

        /** {@code " WHERE a = :a AND b = :b"}, or nothing without filters. */
        public String where() {
            return equalities.isEmpty() ? "" : equalities.keySet().stream()
                    .map(column -> column + " = :" + column)
                    .collect(Collectors.joining(" AND ", " WHERE ", ""));
        }

        public DatabaseClient.GenericExecuteSpec bind(DatabaseClient.GenericExecuteSpec spec) {
            DatabaseClient.GenericExecuteSpec bound = spec;
            for (Map.Entry<String, Object> equality : equalities.entrySet()) {
                bound = bound.bind(equality.getKey(), equality.getValue());
            }
            return bound;
        }
    }
}
