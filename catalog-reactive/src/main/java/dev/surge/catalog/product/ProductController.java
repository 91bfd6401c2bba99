package dev.surge.catalog.product;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.surge.catalog.review.Review;
import dev.surge.service.web.Page;
import dev.surge.service.web.PageRequest;
import reactor.core.publisher.Mono;

@RestController
class ProductController {

    private final ProductCatalog catalog;

    ProductController(ProductCatalog catalog) {
        this.catalog = catalog;
    }

    @GetMapping("/api/products")
    Mono<Page<ProductSummary>> list(@RequestParam(required = false) String category,
            @RequestParam(required = false) String page, @RequestParam(required = false) String size,
            @RequestParam(required = false) String sort) {
        return Mono.fromCallable(() -> PageRequest.parse(page, size))
                .zipWith(Mono.fromCallable(() -> ProductSort.parse(sort)))
                .flatMap(request -> catalog.list(blankToNull(category), request.getT2(), request.getT1()));
    }

    @GetMapping("/api/products/{sku}")
    Mono<ProductDetails> details(@PathVariable String sku) {
        return catalog.details(sku);
    }

    @GetMapping("/api/products/{sku}/reviews")
    Mono<Page<Review>> reviews(@PathVariable String sku, @RequestParam(required = false) String page,
            @RequestParam(required = false) String size) {
        return Mono.fromCallable(() -> PageRequest.parse(page, size))
                .flatMap(request -> catalog.reviews(sku, request));
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
