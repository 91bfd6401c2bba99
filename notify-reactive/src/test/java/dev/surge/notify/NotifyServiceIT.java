package dev.surge.notify;

import dev.surge.testsupport.IntegrationTest;
import dev.surge.testsupport.ServiceRuntimeContract;

@IntegrationTest
class NotifyServiceIT extends ServiceRuntimeContract {

    NotifyServiceIT() {
        super("notify", "order_status", "r2dbc", "redis", "kafka");
    }
}
