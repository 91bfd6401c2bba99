package dev.surge.order.stock;

import java.util.Collection;
import java.util.Map;

import reactor.core.publisher.Mono;

/**
 * The authoritative stock as carts and orders use it. {@link #take} and {@link #giveBack} join the
 * caller's transaction and announce the new level through the outbox in it.
 */
public interface StockLedger {

    /** Availability of each sku asked for; a sku never stocked is out of stock. */
    Mono<Map<String, Availability>> availability(Collection<String> skus);

    /**
     * Takes {@code quantity} units of {@code sku} with one conditional update that never goes below
     * zero; emits {@code false} (and changes nothing) when fewer are left.
     */
    Mono<Boolean> take(String sku, int quantity, String reason);

    /** Puts {@code quantity} units of {@code sku} back (a failed payment, a cancel). */
    Mono<Void> giveBack(String sku, int quantity, String reason);
}
