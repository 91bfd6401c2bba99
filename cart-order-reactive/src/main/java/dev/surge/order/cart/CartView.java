package dev.surge.order.cart;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.surge.order.pricing.Money;

/**
 * A cart as the shopper sees it: every line priced now, with what can be ordered now.
 *
 * @param lines the lines, oldest first
 * @param itemCount units in the cart, over all lines
 * @param subtotal the sum of the line totals of the lines that can be ordered
 * @param estimate shipping, tax and total for the default (or chosen) address; absent without one
 * @param version bumped by every change of the cart
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CartView(List<Line> lines, int itemCount, Money subtotal, Estimate estimate, long version) {

    /**
     * One line.
     *
     * @param sku the product
     * @param name its name now
     * @param imageUrl its image, when it has one
     * @param quantity units in the cart
     * @param unitPrice the price of one unit now
     * @param lineTotal {@code unitPrice × quantity}
     * @param availability {@code IN_STOCK}, {@code LOW}, {@code OUT_OF_STOCK} or {@code UNAVAILABLE} (off sale)
     * @param orderable how many units can be ordered now (stock and the per-line limit)
     * @param priceChanged whether the price differs from when the line was added
     * @param priceWhenAdded the unit price when it was added
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Line(String sku, String name, String imageUrl, int quantity, Money unitPrice, Money lineTotal,
            String availability, int orderable, boolean priceChanged, Money priceWhenAdded) {

        boolean canBeOrdered() {
            return !"UNAVAILABLE".equals(availability) && orderable >= quantity;
        }
    }

    /**
     * What the cart would cost delivered to one country.
     *
     * @param country ISO 3166-1 alpha-2 code of the address it is estimated for
     * @param shipping the shipping fee
     * @param tax the VAT the total contains
     * @param total what the shopper would pay
     */
    public record Estimate(String country, Money shipping, Money tax, Money total) {
    }
}
