package dev.surge.catalog;

import dev.surge.testsupport.IntegrationTest;
import dev.surge.testsupport.ServiceRuntimeContract;

@IntegrationTest
class CatalogServiceIT extends ServiceRuntimeContract {

    CatalogServiceIT() {
        super("catalog", "product", "r2dbc", "redis", "kafka");
    }
}
