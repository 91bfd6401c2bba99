package dev.surge.order.pricing;

import java.util.List;

/**
 * What an order costs, delivered to one country.
 *
 * @param lines the priced lines
 * @param country the destination it is priced for
 * @param subtotal the sum of the line totals (gross)
 * @param shipping the shipping fee (gross; 0 above the zone's free-shipping threshold)
 * @param tax the VAT contained in {@code total}, at the destination's rate: shown, not added
 * @param total {@code subtotal + shipping}, what the shopper pays
 */
public record Quote(List<PricedLine> lines, String country, Money subtotal, Money shipping, Money tax, Money total) {

    public Quote {
        lines = List.copyOf(lines);
    }
}
