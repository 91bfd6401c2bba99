package dev.surge.order.pricing;

import java.util.List;

import org.springframework.stereotype.Component;

/** Prices lines for a destination: the one place subtotal, shipping, tax and total are computed. */
@Component
public class Pricing {

    private final PricingProperties properties;

    public Pricing(PricingProperties properties) {
        this.properties = properties;
    }

    public String currency() {
        return properties.currency();
    }

    public Quote quote(List<PricedLine> lines, String country) {
        Money subtotal = lines.stream()
                .map(PricedLine::lineTotal)
                .reduce(Money.zero(properties.currency()), Money::plus);
        PricingProperties.Fee fee = properties.shipping(country);
        boolean free = lines.isEmpty() || (fee.freeFrom() > 0 && subtotal.amount() >= fee.freeFrom());
        Money shipping = free ? Money.zero(properties.currency()) : new Money(fee.amount(), properties.currency());
        Money total = subtotal.plus(shipping);
        return new Quote(lines, country, subtotal, shipping, total.includedTax(properties.taxRate(country)), total);
    }
}
