package dev.surge.catalog.administration;

import java.net.URI;
import java.util.Map;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import dev.surge.catalog.product.ProductDetails;
import reactor.core.publisher.Mono;

/** Catalog administration; the security chain lets only the ops role in. */
@RestController
class ProductAdministrationController {

    private final ProductAdministration administration;
    private final ProductAnnouncements announcements;

    ProductAdministrationController(ProductAdministration administration, ProductAnnouncements announcements) {
        this.administration = administration;
        this.announcements = announcements;
    }

    /** Every product announced again on {@code shop.catalog.v1}, so a new read model (a fresh database) learns them all. */
    @PostMapping("/api/admin/products/announcements")
    Mono<Map<String, Long>> republishAll() {
        return announcements.republishAll()
                .map(announced -> Map.of("announced", announced));
    }

    @PostMapping("/api/admin/products")
    Mono<ResponseEntity<ProductDetails>> create(@RequestBody ProductForm form) {
        return administration.create(form)
                .map(created -> ResponseEntity.created(URI.create("/api/products/" + created.sku())).body(created));
    }

    @PutMapping("/api/admin/products/{sku}")
    Mono<ResponseEntity<ProductDetails>> replace(@PathVariable String sku, @RequestBody ProductForm form) {
        return administration.replace(sku, form)
                .map(ResponseEntity::ok)
                .defaultIfEmpty(ResponseEntity.noContent().build());
    }

    @DeleteMapping("/api/admin/products/{sku}")
    Mono<ResponseEntity<Void>> deactivate(@PathVariable String sku) {
        return administration.deactivate(sku)
                .thenReturn(ResponseEntity.noContent().<Void>build());
    }
}
