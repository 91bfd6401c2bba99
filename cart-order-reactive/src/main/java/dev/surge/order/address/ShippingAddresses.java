package dev.surge.order.address;

import java.util.Map;
import java.util.UUID;

import reactor.core.publisher.Mono;

/** What checkout and the cart's quote need of a shopper's address book. */
public interface ShippingAddresses {

    /** One of the shopper's saved addresses; a {@code NotFound} problem for another shopper's or an unknown id. */
    Mono<ShippingAddress> saved(String userId, UUID id);

    /** The shopper's default address, or empty when they have saved none. */
    Mono<ShippingAddress> defaultFor(String userId);

    /**
     * A new address given at checkout, checked by the same rules as a saved one; an {@code InvalidFields}
     * error names every bad field, each prefixed with {@code fieldPrefix} ({@code address.city}).
     */
    Mono<ShippingAddress> validate(Map<String, Object> fields, String fieldPrefix);
}
