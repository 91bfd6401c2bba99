package dev.surge.order.stock;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.stereotype.Component;

import dev.surge.order.product.CatalogProduct;
import dev.surge.order.product.FirstSeen;
import reactor.core.publisher.Mono;

/**
 * The dev environment's demo stock ({@code surge.stock.demo: true}, set by the {@code dev}
 * profile only): every product the read model learns gets a first stock level derived from its
 * sku, announced like an ops adjustment, so a newcomer's shop has stock at once. About 4 in 100
 * products are sold out and 6 in 100 low (1–4 left); the rest have 20–199. Deterministic, so every
 * fresh dev database gets the same shop.
 */
@Component
@ConditionalOnBooleanProperty("surge.stock.demo")
class DemoStock implements FirstSeen {

    private final AdjustStock stock;

    DemoStock(AdjustStock stock) {
        this.stock = stock;
    }

    @Override
    public Mono<Void> productFirstSeen(CatalogProduct product) {
        return stock.initial(product.sku(), units(product.sku()));
    }

    static int units(String sku) {
        int bucket = Math.floorMod(sku.hashCode() * 31 + 7, 100);
        if (bucket < 4) {
            return 0;
        }
        if (bucket < 10) {
            return 1 + bucket % 4;
        }
        return 20 + Math.floorMod(sku.hashCode(), 180);
    }
}
