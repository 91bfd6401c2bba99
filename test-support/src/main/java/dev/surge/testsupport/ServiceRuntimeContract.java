package dev.surge.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * What every service with a database promises at run time: readiness that includes its real
 * dependencies, liveness that does not, Prometheus metrics tagged with its name, its own
 * migrated database, and problem documents for errors. A service's {@code *ServiceIT} is an
 * {@link IntegrationTest} that extends this.
 */
public abstract class ServiceRuntimeContract {

    private final String applicationName;
    private final String firstTable;
    private final List<String> readinessComponents;

    @Autowired
    protected WebTestClient http;

    @Autowired
    protected TestIsolation isolation;

    /**
     * @param applicationName {@code spring.application.name}
     * @param firstTable a table the service's own migrations create
     * @param readinessComponents the health contributors its readiness must include
     */
    protected ServiceRuntimeContract(String applicationName, String firstTable, String... readinessComponents) {
        this.applicationName = applicationName;
        this.firstTable = firstTable;
        this.readinessComponents = List.of(readinessComponents);
    }

    @Test
    void isReadyOnlyWithItsRealDependenciesUp() {
        WebTestClient.BodyContentSpec body = http.get().uri("/actuator/health/readiness")
                .exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.status").isEqualTo("UP");
        readinessComponents.forEach(component -> body.jsonPath("$.components." + component + ".status").isEqualTo("UP"));
    }

    @Test
    void livenessDoesNotDependOnInfrastructure() {
        WebTestClient.BodyContentSpec body = http.get().uri("/actuator/health/liveness")
                .exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.status").isEqualTo("UP")
                .jsonPath("$.components.livenessState.status").isEqualTo("UP");
        readinessComponents.forEach(component -> body.jsonPath("$.components." + component).doesNotExist());
    }

    @Test
    void servesPrometheusMetricsTaggedWithItsName() {
        String metrics = http.get().uri("/actuator/prometheus")
                .exchange()
                .expectStatus().isOk()
                .expectBody(String.class)
                .returnResult()
                .getResponseBody();
        assertThat(metrics).contains("jvm_memory_used_bytes").contains("application=\"" + applicationName + "\"");
    }

    @Test
    void migratedItsOwnDatabase() throws SQLException {
        assertThat(rowCount(firstTable)).isZero();
        assertThat(rowCount("outbox")).isZero();
        assertThat(rowCount("inbox")).isZero();
    }

    @Test
    void unknownPathIsAProblemDocument() {
        http.get().uri("/nothing-here")
                .exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.status").isEqualTo(404)
                .jsonPath("$.title").isNotEmpty();
    }

    private long rowCount(String table) throws SQLException {
        try (Connection connection = Infrastructure.postgres().connect(isolation.database());
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT count(*) FROM " + table)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
