package dev.surge.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.surge.testsupport.Infrastructure;
import dev.surge.testsupport.TestIsolation;

/**
 * Base of the catalog's integration tests: the service's client, and {@code fixtures/catalog.sql}
 * loaded once into the test class's own database.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class CatalogFixtures {

    @Autowired
    WebTestClient http;

    @Autowired
    TestIsolation isolation;

    @BeforeAll
    void loadFixtures() {
        try (InputStream sql = CatalogFixtures.class.getResourceAsStream("/fixtures/catalog.sql")) {
            Infrastructure.postgres().execute(isolation.database(), new String(sql.readAllBytes(), StandardCharsets.UTF_8));
        }
        catch (IOException e) {
            throw new IllegalStateException("fixtures/catalog.sql is missing", e);
        }
    }
}
