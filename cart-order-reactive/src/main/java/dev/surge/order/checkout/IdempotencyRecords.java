package dev.surge.order.checkout;

import java.util.UUID;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;

import reactor.core.publisher.Mono;

/**
 * {@code Idempotency-Key} records in PostgreSQL, beside the orders they protect. The key is taken
 * with a transaction-scoped advisory lock first, so a second request with a key still in use is told
 * so at once instead of queueing behind the first.
 */
@Repository
class IdempotencyRecords {

    private final DatabaseClient database;

    IdempotencyRecords(DatabaseClient database) {
        this.database = database;
    }

    /** Emits whether this transaction now holds the key; {@code false} while another transaction does. */
    Mono<Boolean> tryHold(String userId, String key) {
        return database.sql("SELECT pg_try_advisory_xact_lock(hashtextextended(:owner, :space)) AS held")
                .bind("space", OrderPlacement.KEY_LOCKS)
                .bind("owner", lockOwner(userId, key))
                .map(row -> row.get("held", Boolean.class))
                .one();
    }

    /**
     * What a key's advisory lock is taken on: length-prefixed, so no user id and key pair reads like
     * another; a hash collision costs a needless 409 at worst.
     */
    static String lockOwner(String userId, String key) {
        return userId.length() + ":" + userId + key;
    }

    Mono<Stored> find(String userId, String key) {
        return database.sql("""
                        SELECT operation, request_hash, order_id, status, response::text AS response
                        FROM idempotency_key WHERE user_id = :userId AND key = :key""")
                .bind("userId", userId)
                .bind("key", key)
                .map(row -> new Stored(row.get("operation", String.class), row.get("request_hash", String.class),
                        row.get("order_id", UUID.class), row.get("status", Integer.class), row.get("response", String.class)))
                .one();
    }

    Mono<Void> insert(String userId, String key, Stored stored) {
        return database.sql("""
                        INSERT INTO idempotency_key (user_id, key, operation, request_hash, order_id, status, response)
                        VALUES (:userId, :key, :operation, :hash, :orderId, :status, CAST(:response AS JSONB))""")
                .bind("userId", userId)
                .bind("key", key)
                .bind("operation", stored.operation())
                .bind("hash", stored.requestHash())
                .bind("orderId", stored.orderId())
                .bind("status", stored.status())
                .bind("response", stored.response())
                .then();
    }

    /**
     * What a key protected.
     *
     * @param operation which request it was for ({@code place-order}, {@code retry-payment:<order id>})
     * @param requestHash SHA-256 of the request in canonical form
     * @param orderId the order it created or changed
     * @param status the HTTP status answered
     * @param response the body answered, as JSON
     */
    record Stored(String operation, String requestHash, UUID orderId, int status, String response) {
    }
}
