package dev.surge.events.order;

import dev.surge.events.Money;

import java.util.Objects;

/**
 * One line of a placed order, priced at checkout.
 *
 * @param sku       stock-keeping unit ordered
 * @param name      product name at checkout time
 * @param quantity  number of units, at least 1
 * @param unitPrice price of one unit at checkout time, in minor units
 * @param lineTotal {@code unitPrice × quantity}, in minor units
 */
public record OrderLine(String sku, String name, int quantity, Money unitPrice, Money lineTotal) {

    public OrderLine {
        Objects.requireNonNull(sku, "sku");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(unitPrice, "unitPrice");
        Objects.requireNonNull(lineTotal, "lineTotal");
        if (quantity < 1) {
            throw new IllegalArgumentException("quantity must be at least 1: " + quantity);
        }
    }
}
