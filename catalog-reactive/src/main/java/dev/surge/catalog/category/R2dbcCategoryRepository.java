package dev.surge.catalog.category;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Categories in PostgreSQL. */
@Repository
class R2dbcCategoryRepository {

    private final DatabaseClient database;

    R2dbcCategoryRepository(DatabaseClient database) {
        this.database = database;
    }

    Flux<CategoryRow> all() {
        return database.sql("SELECT id, parent_id, name, position FROM category ORDER BY position, name")
                .map(row -> new CategoryRow(
                        row.get("id", String.class),
                        row.get("parent_id", String.class),
                        row.get("name", String.class)))
                .all();
    }

    /** Names from the top-level department down to the category itself. */
    Flux<String> path(String id) {
        return database.sql("""
                        WITH RECURSIVE up AS (
                            SELECT id, parent_id, name, 0 AS depth FROM category WHERE id = :id
                            UNION ALL
                            SELECT c.id, c.parent_id, c.name, up.depth + 1 FROM category c JOIN up ON c.id = up.parent_id)
                        SELECT name FROM up ORDER BY depth DESC""")
                .bind("id", id)
                .map(row -> row.get("name", String.class))
                .all();
    }

    Flux<String> selfAndAncestors(String id) {
        return database.sql("""
                        WITH RECURSIVE up AS (
                            SELECT id, parent_id FROM category WHERE id = :id
                            UNION ALL
                            SELECT c.id, c.parent_id FROM category c JOIN up ON c.id = up.parent_id)
                        SELECT id FROM up""")
                .bind("id", id)
                .map(row -> row.get("id", String.class))
                .all();
    }

    Mono<Boolean> exists(String id) {
        return database.sql("SELECT EXISTS (SELECT 1 FROM category WHERE id = :id) AS present")
                .bind("id", id)
                .map(row -> row.get("present", Boolean.class))
                .one();
    }

    record CategoryRow(String id, String parentId, String name) {
    }
}
