package dev.surge.catalog.search;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;

import dev.surge.catalog.product.ProductRows;
import dev.surge.catalog.product.ProductSummary;
import dev.surge.service.web.PageRequest;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * PostgreSQL search over active products: full-text ({@code tsvector}, GIN, ranked), spelling
 * correction against the {@code search_term} dictionary, and trigram similarity on names as the
 * last resort. The query is always a bound parameter and {@code websearch_to_tsquery} accepts
 * any text, so SQL or regex characters are just text.
 */
@Repository
class R2dbcSearchIndex {

    /** A term closer than this (trigram similarity, 0–1) to a dictionary word is taken for it. */
    private static final double CORRECTION_SIMILARITY = 0.2;
    /** How close (word similarity, 0–1) a name must be to the query in the last-resort search. */
    private static final double NAME_SIMILARITY = 0.35;

    private static final String FULL_TEXT = """
            FROM product p, websearch_to_tsquery('english', :q) AS query(tsq)
            WHERE p.active AND p.search_vector @@ query.tsq""";

    private static final String SIMILAR_NAME = """
            FROM product p WHERE p.active AND word_similarity(lower(:q), lower(p.name)) > :threshold""";

    private final DatabaseClient database;

    R2dbcSearchIndex(DatabaseClient database) {
        this.database = database;
    }

    Mono<Long> countFullText(String query) {
        return count("SELECT count(*) AS n " + FULL_TEXT, query);
    }

    Flux<ProductSummary> fullText(String query, PageRequest page) {
        return database.sql("SELECT " + ProductRows.SUMMARY_COLUMNS + ", ts_rank_cd(p.search_vector, query.tsq) AS rank "
                        + FULL_TEXT + " ORDER BY rank DESC, p.rating_count DESC, p.sku LIMIT :limit OFFSET :offset")
                .bind("q", query)
                .bind("limit", page.size())
                .bind("offset", page.offset())
                .map(ProductRows::summary)
                .all();
    }

    Mono<Long> countSimilarNames(String query) {
        return database.sql("SELECT count(*) AS n " + SIMILAR_NAME)
                .bind("q", query)
                .bind("threshold", NAME_SIMILARITY)
                .map(row -> row.get("n", Long.class))
                .one();
    }

    Flux<ProductSummary> similarNames(String query, PageRequest page) {
        return database.sql("SELECT " + ProductRows.SUMMARY_COLUMNS + ", word_similarity(lower(:q), lower(p.name)) AS rank "
                        + SIMILAR_NAME + " ORDER BY rank DESC, p.rating_count DESC, p.sku LIMIT :limit OFFSET :offset")
                .bind("q", query)
                .bind("threshold", NAME_SIMILARITY)
                .bind("limit", page.size())
                .bind("offset", page.offset())
                .map(ProductRows::summary)
                .all();
    }

    /**
     * The query with each word replaced by the nearest dictionary word (itself when it is one or none
     * is near); empty when the query has no words at all (only punctuation).
     */
    Mono<String> corrected(String query) {
        return database.sql("""
                        SELECT coalesce(string_agg(coalesce(best.word, term.token), ' ' ORDER BY term.n), '') AS corrected
                        FROM regexp_split_to_table(lower(:q), '[^[:alnum:]]+') WITH ORDINALITY AS term(token, n)
                        LEFT JOIN LATERAL (
                            SELECT word FROM search_term
                            WHERE similarity(word, term.token) > :threshold
                            ORDER BY word = term.token DESC, similarity(word, term.token) DESC,
                                     levenshtein(word, term.token), word
                            LIMIT 1) AS best ON true
                        WHERE term.token <> ''""")
                .bind("q", query)
                .bind("threshold", CORRECTION_SIMILARITY)
                .map(row -> row.get("corrected", String.class))
                .one();
    }

    private Mono<Long> count(String sql, String query) {
        return database.sql(sql)
                .bind("q", query)
                .map(row -> row.get("n", Long.class))
                .one();
    }
}
