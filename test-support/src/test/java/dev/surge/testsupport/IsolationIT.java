package dev.surge.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;

import org.junit.jupiter.api.Test;

class IsolationIT {

    @Test
    void createsAndDropsItsOwnDatabase() throws SQLException {
        TestIsolation isolation = TestIsolation.forClass(IsolationIT.class);
        assertThat(databaseExists(isolation.database())).isTrue();
        isolation.close();
        assertThat(databaseExists(isolation.database())).isFalse();
    }

    @Test
    void twoIsolationsOfOneClassNeverShareNames() {
        try (TestIsolation first = TestIsolation.forClass(IsolationIT.class);
                TestIsolation second = TestIsolation.forClass(IsolationIT.class)) {
            assertThat(first.database()).isNotEqualTo(second.database());
            assertThat(first.redisKeyPrefix()).isNotEqualTo(second.redisKeyPrefix());
            assertThat(first.topic("shop.orders.v1")).isNotEqualTo(second.topic("shop.orders.v1"));
        }
    }

    @Test
    void kafkaBrokerIsSharedByTheWholeJvm() {
        assertThat(Infrastructure.kafka()).isSameAs(Infrastructure.kafka());
        assertThat(Infrastructure.kafka().bootstrapServers()).matches("[^,]+:\\d+(,[^,]+:\\d+)*");
    }

    private static boolean databaseExists(String name) throws SQLException {
        try (Connection connection = Infrastructure.postgres().connect("postgres");
                var statement = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            statement.setString(1, name);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next();
            }
        }
    }
}
