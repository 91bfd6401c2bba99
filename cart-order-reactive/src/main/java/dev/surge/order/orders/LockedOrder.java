package dev.surge.order.orders;

import java.util.List;
import java.util.UUID;

import dev.surge.order.pricing.Money;

/**
 * An order as a lifecycle use case sees it, read with its row locked until the transaction ends.
 *
 * @param id the order
 * @param userId its shopper
 * @param status its status now
 * @param version its version now
 * @param paymentAttempt the current payment attempt; outcomes of others are superseded
 * @param total what it charges
 * @param lines what it holds, for taking or giving back stock
 */
record LockedOrder(UUID id, String userId, OrderStatus status, long version, int paymentAttempt, Money total,
        List<Units> lines) {

    /**
     * Units of one sku on the order.
     *
     * @param sku the product
     * @param quantity units
     */
    record Units(String sku, int quantity) {
    }
}
