package dev.surge.catalog.product;

import java.nio.ByteBuffer;

import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.surge.catalog.review.Review;
import dev.surge.catalog.web.PublicReads;
import dev.surge.service.web.Page;
import dev.surge.service.web.PageRequest;
import reactor.core.publisher.Mono;

@RestController
class ProductController {

    private final ProductCatalog catalog;
    private final PublicReads answers;

    ProductController(ProductCatalog catalog, PublicReads answers) {
        this.catalog = catalog;
        this.answers = answers;
    }

    @GetMapping("/api/products")
    Mono<ResponseEntity<ByteBuffer>> list(@RequestParam(required = false) String category,
            @RequestParam(required = false) String page, @RequestParam(required = false) String size,
            @RequestParam(required = false) String sort, ServerHttpRequest request) {
        return Mono.fromCallable(() -> PageRequest.parse(page, size))
                .zipWith(Mono.fromCallable(() -> ProductSort.parse(sort)))
                .flatMap(parsed -> catalog.list(blankToNull(category), parsed.getT2(), parsed.getT1()))
                .map(json -> answers.ok(json, request));
    }

    @GetMapping("/api/products/{sku}")
    Mono<ResponseEntity<ByteBuffer>> details(@PathVariable String sku, ServerHttpRequest request) {
        return catalog.detailsJson(sku).map(json -> answers.ok(json, request));
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
