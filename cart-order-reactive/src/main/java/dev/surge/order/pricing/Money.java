package dev.surge.order.pricing;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * An amount of money in minor units (cents for EUR) and its currency: never a {@code double}. Sums
 * are exact; the one place a fraction of a cent appears (a share of an amount, such as the tax it
 * contains) rounds HALF_EVEN, so rounding errors do not drift one way over many orders.
 *
 * @param amount minor units
 * @param currency ISO 4217 code, upper case
 */
public record Money(@JsonProperty("amount") long amount, @JsonProperty("currency") String currency) {

    public Money {
        Objects.requireNonNull(currency, "currency");
        if (!currency.matches("[A-Z]{3}")) {
            throw new IllegalArgumentException("currency must be an ISO 4217 code: " + currency);
        }
    }

    public static Money zero(String currency) {
        return new Money(0, currency);
    }

    public static Money of(dev.surge.events.Money money) {
        return new Money(money.amount(), money.currency());
    }

    public dev.surge.events.Money toEvent() {
        return new dev.surge.events.Money(amount, currency);
    }

    public Money plus(Money other) {
        sameCurrency(other);
        return new Money(Math.addExact(amount, other.amount), currency);
    }

    public Money minus(Money other) {
        sameCurrency(other);
        return new Money(Math.subtractExact(amount, other.amount), currency);
    }

    public Money times(int quantity) {
        return new Money(Math.multiplyExact(amount, quantity), currency);
    }

    /**
     * The part of this gross amount that is tax at {@code rateBasisPoints} (1900 = 19 %): gross × rate /
     * (1 + rate), rounded HALF_EVEN to the minor unit.
     */
    public Money includedTax(int rateBasisPoints) {
        BigDecimal tax = BigDecimal.valueOf(amount)
                .multiply(BigDecimal.valueOf(rateBasisPoints))
                .divide(BigDecimal.valueOf(10_000L + rateBasisPoints), 0, RoundingMode.HALF_EVEN);
        return new Money(tax.longValueExact(), currency);
    }

    public boolean isAtLeast(Money other) {
        sameCurrency(other);
        return amount >= other.amount;
    }

    private void sameCurrency(Money other) {
        if (!currency.equals(other.currency)) {
            throw new IllegalArgumentException("cannot combine " + currency + " and " + other.currency);
        }
    }
}
