package dev.surge.fulfilment.shipment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class WarehousesTests {

    private static final Map<String, ShipmentProperties.Warehouse> WAREHOUSES = Map.of(
            "BER-1", new ShipmentProperties.Warehouse("DHL", List.of("DE", "AT")),
            "AMS-1", new ShipmentProperties.Warehouse("PostNL", List.of("NL", "BE")));

    private static ShipmentProperties settings(String defaultWarehouse) {
        return new ShipmentProperties(Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ofSeconds(1), 50, defaultWarehouse,
                WAREHOUSES);
    }

    @Test
    void aCountryShipsFromTheWarehouseThatServesIt() {
        assertThat(Warehouses.forCountry(settings("BER-1"), "NL")).isEqualTo("AMS-1");
        assertThat(Warehouses.forCountry(settings("BER-1"), "AT")).isEqualTo("BER-1");
    }

    @Test
    void anUnservedOrMissingCountryShipsFromTheDefaultWarehouse() {
        assertThat(Warehouses.forCountry(settings("AMS-1"), "JP")).isEqualTo("AMS-1");
        assertThat(Warehouses.forCountry(settings("AMS-1"), null)).isEqualTo("AMS-1");
    }

    @Test
    void aDefaultWarehouseThatIsNotConfiguredIsRefusedAtStart() {
        assertThatIllegalArgumentException().isThrownBy(() -> settings("MAD-1"));
    }
}
