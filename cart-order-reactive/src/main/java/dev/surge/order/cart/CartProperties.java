package dev.surge.order.cart;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/**
 * Limits of a cart (and of an order's explicit lines).
 *
 * @param maxQuantityPerLine most units of one sku in one cart or order
 * @param maxLines most different skus in one cart or order
 */
@Validated
@ConfigurationProperties("surge.cart")
public record CartProperties(
        @DefaultValue("10") @Min(1) @Max(1_000) int maxQuantityPerLine,
        @DefaultValue("50") @Min(1) @Max(500) int maxLines) {
}
