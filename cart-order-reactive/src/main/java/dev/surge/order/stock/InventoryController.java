package dev.surge.order.stock;

import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import reactor.core.publisher.Mono;

/** {@code /api/admin/inventory/{sku}}: ops read and set the authoritative stock (the ops role is checked by the security chain). */
@RestController
class InventoryController {

    private final AdjustStock stock;

    InventoryController(AdjustStock stock) {
        this.stock = stock;
    }

    /** The level, with its version as the {@code ETag} that a careful {@code PUT} sends back in {@code If-Match}. */
    @GetMapping("/api/admin/inventory/{sku}")
    Mono<ResponseEntity<StockLevel>> get(@PathVariable String sku) {
        return Mono.fromCallable(() -> StockForm.sku(sku))
                .flatMap(stock::current)
                .map(InventoryController::withVersion);
    }

    @PutMapping("/api/admin/inventory/{sku}")
    Mono<ResponseEntity<StockLevel>> set(@PathVariable String sku, @RequestBody StockForm form,
            @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
        return Mono.fromCallable(() -> StockForm.sku(sku))
                .flatMap(valid -> stock.set(valid, form.validated(), StockForm.version(ifMatch)))
                .map(InventoryController::withVersion);
    }

    private static ResponseEntity<StockLevel> withVersion(StockLevel level) {
        return ResponseEntity.ok().eTag("\"" + level.version() + "\"").body(level);
    }
}
