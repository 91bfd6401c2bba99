package dev.surge.events.order;

import dev.surge.events.Money;

import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * A shopper placed an order: stock is already reserved and the order waits for payment
 * ({@code PENDING_PAYMENT}). The payment method token is not here: it travels only to fulfilment,
 * on {@code PaymentRequested}, because every service that follows orders reads this topic.
 *
 * @param orderId      id of the new order
 * @param userId       the shopper who placed it (the identity provider's subject)
 * @param email        where to send notifications, or {@code null} when the shopper has no e-mail address
 * @param lines        the ordered lines, at least one
 * @param subtotal     sum of the line totals, in minor units
 * @param tax          tax on the order, in minor units
 * @param shipping     shipping cost, in minor units
 * @param total        {@code subtotal + tax + shipping}, the amount to charge, in minor units
 */
public record OrderPlaced(
        UUID orderId,
        String userId,
        String email,
        List<OrderLine> lines,
        Money subtotal,
        Money tax,
        Money shipping,
        Money total) implements OrderEvent {

    public OrderPlaced {
        Objects.requireNonNull(orderId, "orderId");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(subtotal, "subtotal");
        Objects.requireNonNull(tax, "tax");
        Objects.requireNonNull(shipping, "shipping");
        Objects.requireNonNull(total, "total");
        lines = List.copyOf(Objects.requireNonNull(lines, "lines"));
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("an order has at least one line");
        }
    }
}
