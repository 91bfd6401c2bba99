package dev.surge.order.stock;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import reactor.core.publisher.Mono;

/** {@code /api/admin/inventory/{sku}}: ops read and set the authoritative stock (the ops role is checked by the security chain). */
@RestController
class InventoryController {

    private final AdjustStock stock;

    InventoryController(AdjustStock stock) {
        this.stock = stock;
    }

    @GetMapping("/api/admin/inventory/{sku}")
    Mono<StockLevel> get(@PathVariable String sku) {
        return Mono.fromCallable(() -> StockForm.sku(sku))
                .flatMap(stock::current);
    }

    @PutMapping("/api/admin/inventory/{sku}")
    Mono<StockLevel> set(@PathVariable String sku, @RequestBody StockForm form) {
        return Mono.fromCallable(() -> StockForm.sku(sku))
                .flatMap(valid -> stock.set(valid, form.validated()));
    }
}
