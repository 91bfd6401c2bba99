package dev.surge.order.product;

import java.time.Instant;
import java.util.Map;

import org.springframework.http.HttpStatus;

import dev.surge.events.Money;
import dev.surge.service.web.Conflict;

/**
 * What cart-order knows of a catalog product, as the last {@code ProductChanged} said.
 *
 * @param sku the product's stock-keeping unit
 * @param name display name, shown on cart lines and order lines
 * @param imageUrl path of its main image on the shop's origin, or {@code null}
 * @param price current unit price, gross, in minor units
 * @param weightGrams shipping weight of one unit, or {@code null} when the catalog does not say
 * @param active whether it can be bought
 * @param catalogVersion the catalog's version of the product that this copy reflects
 * @param changedAt when the catalog changed it
 */
public record CatalogProduct(String sku, String name, String imageUrl, Money price, Integer weightGrams,
        boolean active, long catalogVersion, Instant changedAt) {

    /** Whether it can be put in a cart or an order of a shop that sells in {@code currency}. */
    public boolean onSaleIn(String currency) {
        return active && price.currency().equals(currency);
    }

    /** The problem answered for a product that is not on sale (or not known at all). */
    public static Conflict unavailable(String sku) {
        return new Conflict("product-unavailable", HttpStatus.CONFLICT, "Product unavailable", "'" + sku + "' is not on sale",
                Map.of("sku", sku));
    }
}
