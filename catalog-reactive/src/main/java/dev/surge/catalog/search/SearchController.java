package dev.surge.catalog.search;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.surge.service.web.PageRequest;
import reactor.core.publisher.Mono;

@RestController
class SearchController {

    private final ProductSearch search;

    SearchController(ProductSearch search) {
        this.search = search;
    }

    @GetMapping("/api/products/search")
    Mono<SearchResults> search(@RequestParam(required = false) String q, @RequestParam(required = false) String page,
            @RequestParam(required = false) String size) {
        return Mono.fromCallable(() -> PageRequest.parse(page, size))
                .flatMap(request -> search.search(q, request));
    }
}
