package dev.surge.service.database;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.r2dbc.autoconfigure.ConnectionFactoryOptionsBuilderCustomizer;
import org.springframework.context.annotation.Bean;

import io.r2dbc.spi.ConnectionFactoryOptions;
import io.r2dbc.spi.Option;

/**
 * Every R2DBC connection to PostgreSQL opens within a time limit and carries server-side limits
 * for its statements, lock waits and idle transactions ({@link DatabaseTimeoutProperties}), so no
 * database call of any service can hang. The session settings travel as r2dbc-postgresql's
 * {@code options} (startup parameters), which replaces any {@code options} in the URL: set them here.
 *
 * <p>PostgreSQL's JIT compiler is off unless a service's {@code session-settings} turn it on: it
 * compiles a query whose estimated cost passes {@code jit_above_cost}, at every execution, and on
 * the shop's short statements an estimate from stale statistics was enough to spend about 20 ms
 * compiling a query that then ran in well under one (fulfilment's shipment clock).
 */
@AutoConfiguration(beforeName = "org.springframework.boot.r2dbc.autoconfigure.R2dbcAutoConfiguration")
@ConditionalOnClass({ ConnectionFactoryOptions.class, ConnectionFactoryOptionsBuilderCustomizer.class })
@EnableConfigurationProperties(DatabaseTimeoutProperties.class)
public class DatabaseTimeoutAutoConfiguration {

    /** r2dbc-postgresql's startup parameters, by name so this module needs no driver at compile time. */
    static final Option<Map<String, String>> SESSION_OPTIONS = Option.valueOf("options");

    @Bean
    ConnectionFactoryOptionsBuilderCustomizer databaseTimeouts(DatabaseTimeoutProperties timeouts) {
        return options -> options
                .option(ConnectionFactoryOptions.CONNECT_TIMEOUT, timeouts.connectTimeout())
                .option(SESSION_OPTIONS, sessionSettings(timeouts));
    }

    static Map<String, String> sessionSettings(DatabaseTimeoutProperties timeouts) {
        Map<String, String> settings = new HashMap<>(Map.of("jit", "off"));
        settings.putAll(timeouts.sessionSettings());
        settings.put("statement_timeout", milliseconds(timeouts.statementTimeout()));
        settings.put("lock_timeout", milliseconds(timeouts.lockTimeout()));
        settings.put("idle_in_transaction_session_timeout", milliseconds(timeouts.idleInTransactionTimeout()));
        return Map.copyOf(settings);
    }

    private static String milliseconds(Duration duration) {
        return Long.toString(duration.toMillis());
    }
}
