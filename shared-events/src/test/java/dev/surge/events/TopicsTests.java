package dev.surge.events;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TopicsTests {

    @Test
    void namesTheDeadLetterTopicAfterItsSource() {
        assertThat(Topics.deadLetter(Topics.ORDERS)).isEqualTo("shop.orders.v1.dlt");
    }

    @Test
    void listsEveryTopicOnceWithItsVersionInTheName() {
        assertThat(Topics.all())
                .containsExactlyInAnyOrder(Topics.CATALOG, Topics.INVENTORY, Topics.CARTS,
                        Topics.ORDERS, Topics.PAYMENT_REQUESTS, Topics.PAYMENTS, Topics.FULFILMENT, Topics.OPS)
                .allSatisfy(topic -> assertThat(topic).matches("shop\\.[a-z]+(-[a-z]+)*\\.v\\d+"));
    }
}
