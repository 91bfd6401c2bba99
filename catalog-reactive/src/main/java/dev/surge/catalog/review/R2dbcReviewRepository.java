package dev.surge.catalog.review;

import java.time.OffsetDateTime;
import java.util.UUID;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;

import io.r2dbc.spi.Readable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Reviews in PostgreSQL, newest first. */
@Repository
public class R2dbcReviewRepository {

    private final DatabaseClient database;

    R2dbcReviewRepository(DatabaseClient database) {
        this.database = database;
    }

    public Flux<Review> newest(String sku, int limit, long offset) {
        return database.sql("""
                        SELECT id, rating, title, body, author, created_at FROM review
                        WHERE sku = :sku ORDER BY created_at DESC, id LIMIT :limit OFFSET :offset""")
                .bind("sku", sku)
                .bind("limit", limit)
                .bind("offset", offset)
                .map(R2dbcReviewRepository::review)
                .all();
    }

    public Mono<Long> count(String sku) {
        return database.sql("SELECT count(*) AS n FROM review WHERE sku = :sku")
                .bind("sku", sku)
                .map(row -> row.get("n", Long.class))
                .one();
    }

    private static Review review(Readable row) {
        return new Review(
                row.get("id", UUID.class),
                row.get("rating", Short.class),
                row.get("title", String.class),
                row.get("body", String.class),
                row.get("author", String.class),
                row.get("created_at", OffsetDateTime.class).toInstant());
    }
}
