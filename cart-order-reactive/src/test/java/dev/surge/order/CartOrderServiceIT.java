package dev.surge.order;

import dev.surge.testsupport.IntegrationTest;
import dev.surge.testsupport.ServiceRuntimeContract;

@IntegrationTest
class CartOrderServiceIT extends ServiceRuntimeContract {

    CartOrderServiceIT() {
        super("cart-order", "stock", "r2dbc", "redis", "kafka");
    }
}
