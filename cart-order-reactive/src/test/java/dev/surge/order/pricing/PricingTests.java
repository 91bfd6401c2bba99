package dev.surge.order.pricing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

class PricingTests {

    private final Pricing pricing = new Pricing(new PricingProperties("EUR", 1900, Map.of("AT", 2000),
            List.of(new PricingProperties.Zone("domestic", Set.of("DE"), new PricingProperties.Fee(495, 5_000)),
                    new PricingProperties.Zone("eu", Set.of("AT", "FR"), new PricingProperties.Fee(995, 10_000))),
            new PricingProperties.Fee(2_495, 0)));

    @Test
    void pricesItemsPlusShippingAndShowsTheVatTheTotalContains() {
        Quote quote = pricing.quote(List.of(PricedLine.of("A", "Cable", 2, eur(1_299)), PricedLine.of("B", "Plug", 1, eur(999))), "DE");

        assertThat(quote.subtotal()).isEqualTo(eur(3_597));
        assertThat(quote.shipping()).isEqualTo(eur(495));
        assertThat(quote.total()).isEqualTo(eur(4_092));
        // 4092 × 19 / 119 = 653.36... → 653
        assertThat(quote.tax()).isEqualTo(eur(653));
    }

    @Test
    void shippingIsFreeFromTheZonesThresholdAndNeverFreeWhereThereIsNone() {
        assertThat(pricing.quote(List.of(PricedLine.of("A", "TV", 1, eur(5_000))), "DE").shipping()).isEqualTo(eur(0));
        assertThat(pricing.quote(List.of(PricedLine.of("A", "TV", 1, eur(9_999))), "FR").shipping()).isEqualTo(eur(995));
        assertThat(pricing.quote(List.of(PricedLine.of("A", "TV", 1, eur(500_000))), "US").shipping()).isEqualTo(eur(2_495));
    }

    @Test
    void theDestinationsRateDecidesTheVatShown() {
        assertThat(pricing.quote(List.of(PricedLine.of("A", "TV", 1, eur(12_000))), "AT").tax()).isEqualTo(eur(2_000));
        assertThat(pricing.quote(List.of(PricedLine.of("A", "TV", 1, eur(11_900))), "DE").tax()).isEqualTo(eur(1_900));
    }

    @Test
    void taxRoundsHalfEven() {
        // 105 × 500 / 10500 = 5 exactly; 21 × 1000 / 11000 = 1.909 → 2; 115 × 1500 / 11500 = 15;
        // 1 × 10000 / 20000 = 0.5 → 0 and 3 × 10000 / 20000 = 1.5 → 2 (half to even)
        assertThat(eur(1).includedTax(10_000)).isEqualTo(eur(0));
        assertThat(eur(3).includedTax(10_000)).isEqualTo(eur(2));
        assertThat(eur(5).includedTax(10_000)).isEqualTo(eur(2));
        assertThat(eur(7).includedTax(10_000)).isEqualTo(eur(4));
    }

    @Test
    void anEmptyOrderCostsNothing() {
        Quote quote = pricing.quote(List.of(), "DE");
        assertThat(quote.total()).isEqualTo(eur(0));
        assertThat(quote.shipping()).isEqualTo(eur(0));
    }

    @Test
    void moneyOfTwoCurrenciesDoesNotMix() {
        assertThatIllegalArgumentException().isThrownBy(() -> eur(1).plus(new Money(1, "USD")));
    }

    private static Money eur(long cents) {
        return new Money(cents, "EUR");
    }
}
