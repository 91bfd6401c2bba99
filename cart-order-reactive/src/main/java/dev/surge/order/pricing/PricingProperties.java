package dev.surge.order.pricing;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/**
 * How checkout prices an order. Catalog prices are gross (they include VAT): the shopper pays
 * the items plus shipping, and the tax shown is the VAT that total contains at the destination's rate.
 *
 * @param currency the shop's one currency; products in another cannot be bought
 * @param defaultTaxRate VAT in basis points (1900 = 19 %) for countries without a rate of their own
 * @param taxRates VAT in basis points by ISO 3166-1 alpha-2 country code
 * @param shippingZones shipping fees by destination; the first zone naming the country applies
 * @param defaultShipping the fee for a country no zone names
 */
@Validated
@ConfigurationProperties("surge.pricing")
public record PricingProperties(
        @DefaultValue("EUR") @Pattern(regexp = "[A-Z]{3}") String currency,
        @DefaultValue("1900") @Min(0) @Max(10_000) int defaultTaxRate,
        @DefaultValue({}) Map<String, @Min(0) @Max(10_000) Integer> taxRates,
        @DefaultValue({}) @Valid List<Zone> shippingZones,
        @NotNull @Valid @DefaultValue Fee defaultShipping) {

    /**
     * One shipping zone.
     *
     * @param name shown to ops only ({@code domestic}, {@code eu})
     * @param countries the ISO 3166-1 alpha-2 codes it covers
     * @param fee what shipping costs there
     */
    public record Zone(@NotNull String name, @NotEmpty Set<String> countries, @NotNull @Valid Fee fee) {
    }

    /**
     * A shipping fee.
     *
     * @param amount the fee in minor units of the shop's currency
     * @param freeFrom the items' subtotal from which shipping is free, in minor units; 0 means never free
     */
    public record Fee(@DefaultValue("2495") @Min(0) long amount, @DefaultValue("0") @Min(0) long freeFrom) {
    }

    int taxRate(String country) {
        return taxRates.getOrDefault(country, defaultTaxRate);
    }

    Fee shipping(String country) {
        return shippingZones.stream()
                .filter(zone -> zone.countries().contains(country))
                .map(Zone::fee)
                .findFirst()
                .orElse(defaultShipping);
    }
}
