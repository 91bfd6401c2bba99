package dev.surge.fulfilment;

import dev.surge.testsupport.IntegrationTest;
import dev.surge.testsupport.ServiceRuntimeContract;

@IntegrationTest
class FulfilmentServiceIT extends ServiceRuntimeContract {

    FulfilmentServiceIT() {
        super("fulfilment", "payment", "r2dbc", "kafka");
    }
}
