package dev.surge.order.flashsale;

import java.time.Instant;
import java.util.Map;

import org.springframework.stereotype.Component;

import reactor.core.publisher.Mono;

/**
 * Why PostgreSQL refused an order's flash-sale lines, told from PostgreSQL's own rows: the gate let
 * the order through, but the statement found a sale sold out, a shopper over the limit, a sale not
 * started on the database's clock, or a sale's sku in a cart order.
 */
@Component
public class FlashSaleRefusals {

    private final R2dbcFlashSaleRepository sales;

    FlashSaleRefusals(R2dbcFlashSaleRepository sales) {
        this.sales = sales;
    }

    /**
     * The first sale line that cannot be had now, as a {@link SaleRefusal}; empty when none (the
     * sales moved since the statement ran: price and try again).
     *
     * @param lines sku to quantity
     * @param fromCart whether the order is the cart's (which a sale's sku is not sold through)
     */
    public <T> Mono<T> explain(String userId, Map<String, Integer> lines, boolean fromCart) {
        return sales.findAll(lines.keySet())
                .collectList()
                .zipWith(sales.bought(userId, lines.keySet()))
                .flatMap(found -> {
                    Instant now = Instant.now();
                    for (FlashSale sale : found.getT1()) {
                        int wanted = lines.get(sale.sku());
                        int bought = found.getT2().getOrDefault(sale.sku(), 0);
                        if (fromCart) {
                            return Mono.error(SaleRefusal.buyNowOnly(sale.sku()));
                        }
                        if (!sale.startedAt(now)) {
                            return Mono.error(SaleRefusal.notStarted(sale.sku(), sale.startsAt()));
                        }
                        if (sale.left() < wanted) {
                            return Mono.error(SaleRefusal.soldOut(sale.sku(), sale.left(), bought > 0));
                        }
                        if (bought + wanted > sale.perShopperLimit()) {
                            return Mono.error(SaleRefusal.overLimit(sale.sku(), sale.perShopperLimit(), bought));
                        }
                    }
                    return Mono.empty();
                });
    }
}
