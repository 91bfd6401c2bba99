package dev.surge.order.orders;

import java.util.List;
import java.util.UUID;

import dev.surge.order.address.ShippingAddress;
import dev.surge.order.pricing.Quote;

/**
 * An order checkout is about to write.
 *
 * @param id its new id
 * @param userId the shopper
 * @param email where mails about it go, or {@code null}
 * @param quote its priced lines and totals
 * @param shipTo where it goes
 * @param fromCart whether its lines came from the cart (then the cart is emptied)
 */
public record NewOrder(UUID id, String userId, String email, Quote quote, ShippingAddress shipTo, boolean fromCart) {

    public NewOrder {
        if (quote.lines().isEmpty()) {
            throw new IllegalArgumentException("an order has at least one line");
        }
    }

    public List<dev.surge.order.pricing.PricedLine> lines() {
        return quote.lines();
    }
}
