package dev.surge.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.TestPropertySource;

import dev.surge.testsupport.Infrastructure;
import dev.surge.testsupport.IntegrationTest;
import io.r2dbc.spi.R2dbcException;
import reactor.test.StepVerifier;

/** Every statement the service sends has a limit PostgreSQL enforces: over it, the call fails instead of hanging. */
@IntegrationTest(kafka = false)
@TestPropertySource(properties = {
        "surge.database.statement-timeout=500ms",
        "surge.database.lock-timeout=300ms",
        "surge.database.idle-in-transaction-timeout=20s" })
class DatabaseTimeoutIT extends CatalogFixtures {

    @Autowired
    DatabaseClient database;

    @Test
    void aStatementOverTheLimitFailsWithATimeout() {
        StepVerifier.create(database.sql("SELECT pg_sleep(30)").fetch().rowsUpdated())
                .expectErrorSatisfies(failure -> assertThat(failure)
                        .hasRootCauseInstanceOf(R2dbcException.class)
                        .rootCause().satisfies(cause -> assertThat(((R2dbcException) cause).getSqlState()).isEqualTo("57014")))
                .verify(Duration.ofSeconds(10));
        // and the connection it used is fine for the next call
        StepVerifier.create(database.sql("SELECT 1 AS one").map(row -> row.get("one", Integer.class)).one())
                .expectNext(1)
                .verifyComplete();
    }

    @Test
    void aLockHeldElsewhereFailsTheWaitQuickly() throws Exception {
        try (Connection holder = Infrastructure.postgres().connect(isolation.database());
                Statement statement = holder.createStatement()) {
            holder.setAutoCommit(false);
            statement.execute("SELECT 1 FROM product WHERE sku = 'P-SONY' FOR UPDATE");

            StepVerifier.create(database.sql("UPDATE product SET name = name WHERE sku = 'P-SONY'").fetch().rowsUpdated())
                    .expectErrorSatisfies(failure -> assertThat(failure)
                            .hasRootCauseInstanceOf(R2dbcException.class)
                            .rootCause().satisfies(cause -> assertThat(((R2dbcException) cause).getSqlState()).isEqualTo("55P03")))
                    .verify(Duration.ofSeconds(10));
            holder.rollback();
        }
    }

    @Test
    void everySessionCarriesTheLimits() {
        StepVerifier.create(database.sql("""
                        SELECT current_setting('statement_timeout') AS statement,
                               current_setting('lock_timeout') AS lock,
                               current_setting('idle_in_transaction_session_timeout') AS idle,
                               current_setting('jit') AS jit""")
                        .map(row -> row.get("statement", String.class) + " " + row.get("lock", String.class) + " "
                                + row.get("idle", String.class) + " jit " + row.get("jit", String.class))
                        .one())
                // PostgreSQL's own default is jit = on
                .expectNext("500ms 300ms 20s jit off")
                .verifyComplete();
    }
}
