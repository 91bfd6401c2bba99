package dev.surge.order.flashsale;

import java.time.Instant;

import org.springframework.stereotype.Service;

import dev.surge.service.web.NotFound;
import reactor.core.publisher.Mono;

/** A flash sale as ops watch it: PostgreSQL's counts beside what the Redis gate would still admit. */
@Service
class ShowFlashSale {

    private final R2dbcFlashSaleRepository sales;
    private final RedisStockGate gate;
    private final WaitingRoom room;

    ShowFlashSale(R2dbcFlashSaleRepository sales, RedisStockGate gate, WaitingRoom room) {
        this.sales = sales;
        this.gate = gate;
        this.room = room;
    }

    /** The sku's sale, or a {@code 404 …/problems/flash-sale-not-found}. */
    Mono<FlashSaleView> show(String sku) {
        return find(sku).flatMap(this::view);
    }

    /** The sale's row alone (no counts), or the same {@code 404}. */
    Mono<FlashSale> find(String sku) {
        return sales.find(sku).switchIfEmpty(Mono.error(() -> new NotFound("flash sale", sku)));
    }

    Mono<FlashSaleView> view(FlashSale sale) {
        return Mono.zip(sales.buyers(sale.sku()), gate.left(sale.sku()), room.counts(sale.sku()))
                .map(found -> FlashSaleView.of(sale, found.getT1(), found.getT2().orElse(null), found.getT3().orElse(null),
                        Instant.now()));
    }
}
