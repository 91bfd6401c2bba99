package dev.surge.testsupport;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * A PostgreSQL server reachable from the tests; hands out throw-away databases.
 *
 * @param host host name or address
 * @param port TCP port
 * @param user a role allowed to create and drop databases
 * @param password that role's password, empty for trust authentication
 */
public record PostgresServer(String host, int port, String user, String password) {

    public String r2dbcUrl(String database) {
        return "r2dbc:postgresql://" + host + ":" + port + "/" + database;
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    /** Creates an empty database; the name must be a plain lower-case identifier. */
    public void createDatabase(String name) {
        execute("CREATE DATABASE " + identifier(name));
    }

    /** Drops the database, closing whatever connections a test left open. */
    public void dropDatabase(String name) {
        execute("DROP DATABASE IF EXISTS " + identifier(name) + " WITH (FORCE)");
    }

    /** Runs statements against one database over JDBC, for fixtures and assertions in tests. */
    public void execute(String database, String... statements) {
        try (Connection connection = connect(database); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
        catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + host + ":" + port + " refused: " + e.getMessage(), e);
        }
    }

    /** Opens a JDBC connection to one database; the caller closes it. */
    public Connection connect(String database) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", password);
        return DriverManager.getConnection(jdbcUrl(database), properties);
    }

    private void execute(String sql) {
        execute("postgres", sql);
    }

    private static String identifier(String name) {
        if (!name.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("not a plain database name: " + name);
        }
        return name;
    }
}
