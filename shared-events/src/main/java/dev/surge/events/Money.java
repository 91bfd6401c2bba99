package dev.surge.events;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An amount of money in minor units, never a floating-point number.
 *
 * @param amount   the amount in the currency's minor units (cents for EUR: 1999 is 19.99 EUR)
 * @param currency ISO 4217 alphabetic code, three upper-case letters such as {@code EUR}
 */
public record Money(long amount, String currency) {

    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");

    public Money {
        Objects.requireNonNull(currency, "currency");
        if (!CURRENCY.matcher(currency).matches()) {
            throw new IllegalArgumentException("currency must be an ISO 4217 code of three upper-case letters: " + currency);
        }
    }
}
