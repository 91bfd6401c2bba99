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
 * @param shipToCountry ISO country code of the delivery address, for fulfilment's choice of warehouse
 * @param fulfilment the furthest progress fulfilment reported ({@code ALLOCATED}, {@code SHIPPED},
 *        {@code DELIVERED}), which the status may not have reached yet; null before any report
 */
record LockedOrder(UUID id, String userId, OrderStatus status, long version, int paymentAttempt, Money total,
        List<Units> lines, String shipToCountry, OrderStatus fulfilment) {

    /** The order as it is after a move to {@code to}, still locked: every move bumps the version by one. */
    LockedOrder movedTo(OrderStatus to) {
        return new LockedOrder(id, userId, to, version + 1, paymentAttempt, total, lines, shipToCountry, fulfilment);
    }

    /** The order with fulfilment's report of {@code progress} kept. */
    LockedOrder reported(OrderStatus progress) {
        return new LockedOrder(id, userId, status, version, paymentAttempt, total, lines, shipToCountry, progress);
    }

    /**
     * Units of one sku on the order.
     *
     * @param sku the product
     * @param quantity units
     * @param fromSale whether they came from the sku's flash sale rather than its stock
     */
    record Units(String sku, int quantity, boolean fromSale) {
    }
}
