package dev.surge.events;

import java.util.List;

/**
 * Kafka topic names, one per aggregate, versioned in the name. Records are keyed by the
 * aggregate id ({@link EventEnvelope#aggregateId()}) so one aggregate's events stay in order.
 */
public final class Topics {

    /** Product changes, keyed by sku. Produced by catalog. */
    public static final String CATALOG = "shop.catalog.v1";

    /** Authoritative stock levels, keyed by sku. Produced by cart-order. */
    public static final String INVENTORY = "shop.inventory.v1";

    /** Cart activity, keyed by the cart owner's user id. Produced by cart-order. */
    public static final String CARTS = "shop.carts.v1";

    /** Order lifecycle, keyed by order id. Produced by cart-order. */
    public static final String ORDERS = "shop.orders.v1";

    /**
     * Payment and refund requests, keyed by order id. Produced by cart-order, read by fulfilment only:
     * the payment method token travels here and nowhere else.
     */
    public static final String PAYMENT_REQUESTS = "shop.payment-requests.v1";

    /** Payment outcomes and refunds, keyed by order id. Produced by fulfilment. */
    public static final String PAYMENTS = "shop.payments.v1";

    /** Allocation and shipping progress, keyed by order id. Produced by fulfilment. */
    public static final String FULFILMENT = "shop.fulfilment.v1";

    /**
     * Vital signs, keyed by service instance: each instance's own breaker states, outbox backlog,
     * consumer lag and counts, about once a second. Produced by every service, read by notify. Kept
     * for an hour only: a vital sign is worth something while it is fresh.
     */
    public static final String OPS = "shop.ops.v1";

    private static final List<String> ALL = List.of(CATALOG, INVENTORY, CARTS, ORDERS, PAYMENT_REQUESTS, PAYMENTS,
            FULFILMENT, OPS);

    private Topics() {
    }

    /**
     * The dead-letter topic that receives the records of {@code topic} a consumer could not handle.
     */
    public static String deadLetter(String topic) {
        return topic + ".dlt";
    }

    /** Every event topic (dead-letter topics excluded). */
    public static List<String> all() {
        return ALL;
    }
}
