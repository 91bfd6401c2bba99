package dev.surge.order.orders;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.surge.order.address.ShippingAddress;
import dev.surge.order.pricing.Money;

/**
 * An order as its shopper sees it.
 *
 * @param id the order's id
 * @param status its lifecycle status
 * @param version bumped by every status change; events carry it
 * @param lines what was ordered, priced at checkout
 * @param subtotal the sum of the line totals
 * @param shipping the shipping fee
 * @param tax the VAT the total contains
 * @param total what the shopper pays
 * @param shipTo where it goes (a copy: later address changes do not touch it)
 * @param paymentAttempts every payment attempt, the first at checkout
 * @param timeline every status change, oldest first
 * @param placedAt when checkout committed it
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OrderView(UUID id, OrderStatus status, long version, List<Line> lines, Money subtotal, Money shipping,
        Money tax, Money total, ShippingAddress shipTo, List<PaymentAttempt> paymentAttempts, List<StatusChange> timeline,
        Instant placedAt) {

    /** A new order as checkout writes it: {@code PENDING_PAYMENT}, version 1, its first payment attempt requested. */
    public static OrderView placed(NewOrder order, Instant placedAt) {
        List<Line> lines = order.lines().stream()
                .map(line -> new Line(line.sku(), line.name(), line.quantity(), line.unitPrice(), line.lineTotal()))
                .toList();
        return new OrderView(order.id(), OrderStatus.PENDING_PAYMENT, 1, lines, order.quote().subtotal(),
                order.quote().shipping(), order.quote().tax(), order.quote().total(), order.shipTo(),
                List.of(new PaymentAttempt(1, order.quote().total(), "REQUESTED", null, placedAt, null)),
                List.of(new StatusChange(OrderStatus.PENDING_PAYMENT, null, placedAt)), placedAt);
    }

    /**
     * One ordered line.
     *
     * @param sku the product
     * @param name its name at checkout
     * @param quantity units
     * @param unitPrice the price of one unit at checkout
     * @param lineTotal {@code unitPrice × quantity}
     */
    public record Line(String sku, String name, int quantity, Money unitPrice, Money lineTotal) {
    }

    /**
     * One payment attempt.
     *
     * @param attempt 1 at checkout, then one more per retry
     * @param amount what it charges
     * @param status {@code REQUESTED}, {@code SUCCEEDED}, {@code FAILED} or {@code REFUND_REQUESTED}
     * @param failureCode why it failed ({@code CARD_DECLINED}, ...), when it did
     * @param requestedAt when it was asked for
     * @param decidedAt when its outcome arrived
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PaymentAttempt(int attempt, Money amount, String status, String failureCode, Instant requestedAt,
            Instant decidedAt) {
    }

    /**
     * One status change.
     *
     * @param status the status it moved to
     * @param reason why, when not the normal flow ({@code CARD_DECLINED}, {@code PAYMENT_TIMEOUT}, ...)
     * @param at when
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record StatusChange(OrderStatus status, String reason, Instant at) {
    }
}
