package dev.surge.service.database;

import java.time.Duration;
import java.util.Map;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Time limits on every PostgreSQL connection a service opens through R2DBC
 * ({@code surge.database.*}); the server enforces the last three, so a statement stuck in
 * PostgreSQL ends there too, not only in the service. The pool's own wait for a free connection is
 * Boot's {@code spring.r2dbc.pool.max-acquire-time}, set in each service's {@code application.yml}.
 *
 * @param connectTimeout the longest a new connection may take to open
 * @param statementTimeout the longest one statement may run ({@code statement_timeout}); a
 *        statement over it fails with SQLSTATE 57014
 * @param lockTimeout the longest a statement waits for a row or table lock ({@code lock_timeout});
 *        shorter than the statement timeout, so a blocked hot row fails fast (SQLSTATE 55P03)
 *        instead of holding a pooled connection
 * @param idleInTransactionTimeout the longest a transaction may sit open with nothing running
 *        ({@code idle_in_transaction_session_timeout}); past it PostgreSQL ends the session and its
 *        locks go, so a stalled caller cannot hold rows for ever. Longer than any remote call made
 *        inside a transaction (the outbox relay's Kafka send)
 * @param sessionSettings further PostgreSQL settings for every session of the service, by name (for
 *        example {@code plan_cache_mode}); the limits above win over an entry of the same name;
 *        {@code jit} is {@code off} unless named here
 */
@Validated
@ConfigurationProperties("surge.database")
public record DatabaseTimeoutProperties(
        @DefaultValue("5s") @NotNull Duration connectTimeout,
        @DefaultValue("5s") @NotNull Duration statementTimeout,
        @DefaultValue("3s") @NotNull Duration lockTimeout,
        @DefaultValue("30s") @NotNull Duration idleInTransactionTimeout,
        Map<String, String> sessionSettings) {

    public DatabaseTimeoutProperties {
        sessionSettings = sessionSettings == null ? Map.of() : Map.copyOf(sessionSettings);
    }
}
