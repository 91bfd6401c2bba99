package dev.surge.fulfilment.shipment;

import java.util.Map;

/** Picks the warehouse of a destination country from the configured set. */
final class Warehouses {

    private Warehouses() {
    }

    /** The code of the warehouse serving the country, else the default one (also for an unknown country). */
    static String forCountry(ShipmentProperties settings, String country) {
        if (country == null) {
            return settings.defaultWarehouse();
        }
        return settings.warehouses().entrySet().stream()
                .filter(warehouse -> warehouse.getValue().countries().contains(country))
                .map(Map.Entry::getKey)
                .sorted()
                .findFirst()
                .orElse(settings.defaultWarehouse());
    }
}
