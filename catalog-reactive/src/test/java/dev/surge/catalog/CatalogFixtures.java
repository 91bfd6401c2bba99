package dev.surge.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import dev.surge.testsupport.Infrastructure;
import dev.surge.testsupport.TestIsolation;

/** Loads {@code fixtures/catalog.sql} into a test class's own database. */
final class CatalogFixtures {

    private CatalogFixtures() {
    }

    static void load(TestIsolation isolation) {
        try (InputStream sql = CatalogFixtures.class.getResourceAsStream("/fixtures/catalog.sql")) {
            Infrastructure.postgres().execute(isolation.database(), new String(sql.readAllBytes(), StandardCharsets.UTF_8));
        }
        catch (IOException e) {
            throw new IllegalStateException("fixtures/catalog.sql is missing", e);
        }
    }
}
