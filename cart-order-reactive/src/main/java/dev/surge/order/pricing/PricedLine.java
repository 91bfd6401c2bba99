package dev.surge.order.pricing;

/**
 * One line as checkout or the cart prices it now.
 *
 * @param sku the product
 * @param name its name now
 * @param quantity units
 * @param unitPrice the price of one unit now (gross)
 * @param lineTotal {@code unitPrice × quantity}
 */
public record PricedLine(String sku, String name, int quantity, Money unitPrice, Money lineTotal) {

    public static PricedLine of(String sku, String name, int quantity, Money unitPrice) {
        return new PricedLine(sku, name, quantity, unitPrice, unitPrice.times(quantity));
    }
}
