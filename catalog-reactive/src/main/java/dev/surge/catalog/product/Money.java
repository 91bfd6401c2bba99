package dev.surge.catalog.product;

/**
 * A price as the API shows it.
 *
 * @param amount in minor units (cents)
 * @param currency ISO 4217 code
 */
public record Money(long amount, String currency) {
}
