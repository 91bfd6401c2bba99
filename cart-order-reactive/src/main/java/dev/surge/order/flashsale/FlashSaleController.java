package dev.surge.order.flashsale;

import java.net.URI;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import reactor.core.publisher.Mono;

/** {@code /api/admin/flash-sales/{sku}}: ops set up a flash sale and watch it (the ops role is checked by the security chain). */
@RestController
class FlashSaleController {

    private final SetUpFlashSale setUp;
    private final ShowFlashSale sales;

    FlashSaleController(SetUpFlashSale setUp, ShowFlashSale sales) {
        this.setUp = setUp;
        this.sales = sales;
    }

    @PutMapping("/api/admin/flash-sales/{sku}")
    Mono<ResponseEntity<FlashSaleView>> set(@PathVariable String sku, @RequestBody FlashSaleForm form) {
        return Mono.fromCallable(() -> FlashSaleForm.sku(sku))
                .flatMap(valid -> setUp.set(valid, form.validated()))
                .flatMap(done -> sales.view(done.sale())
                        .map(view -> done.created()
                                ? ResponseEntity.created(URI.create("/api/admin/flash-sales/" + sku)).body(view)
                                : ResponseEntity.ok(view)));
    }

    @GetMapping("/api/admin/flash-sales/{sku}")
    Mono<FlashSaleView> get(@PathVariable String sku) {
        return Mono.fromCallable(() -> FlashSaleForm.sku(sku))
                .flatMap(sales::show);
    }
}
