package dev.surge.fulfilment.shipment;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;

/**
 * Warehouses and the shipment clock. Each step's delay counts from the step before (allocation from
 * cart-order's confirmation); {@code 0} makes the next step due at once, as tests run it.
 *
 * @param allocateDelay from the confirmation to {@code OrderAllocated}
 * @param shipDelay from allocation to {@code OrderShipped}
 * @param deliverDelay from shipping to {@code OrderDelivered}
 * @param pollInterval how often each instance takes the due steps
 * @param pollBatch most steps one transaction takes
 * @param defaultWarehouse the warehouse of a country no warehouse names, or of a request without a country
 * @param warehouses by code: the carrier it hands parcels to and the destination countries it serves
 */
@Validated
@ConfigurationProperties("surge.fulfilment")
public record ShipmentProperties(
        @DefaultValue("2s") @NotNull Duration allocateDelay,
        @DefaultValue("4s") @NotNull Duration shipDelay,
        @DefaultValue("6s") @NotNull Duration deliverDelay,
        @DefaultValue("500ms") @NotNull Duration pollInterval,
        @DefaultValue("50") @Min(1) @Max(1_000) int pollBatch,
        @DefaultValue("BER-1") @NotBlank String defaultWarehouse,
        @NotEmpty Map<String, @Valid Warehouse> warehouses) {

    public ShipmentProperties {
        if (warehouses != null && defaultWarehouse != null && !warehouses.containsKey(defaultWarehouse)) {
            throw new IllegalArgumentException("surge.fulfilment.default-warehouse " + defaultWarehouse
                    + " is not one of surge.fulfilment.warehouses " + warehouses.keySet());
        }
    }

    /**
     * @param carrier who carries its parcels, e.g. {@code DHL}
     * @param countries the ISO 3166-1 alpha-2 codes of the countries it ships to
     */
    public record Warehouse(@NotBlank String carrier, @DefaultValue List<String> countries) {
    }
}
