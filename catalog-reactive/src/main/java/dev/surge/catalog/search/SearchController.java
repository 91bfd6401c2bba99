package dev.surge.catalog.search;

import java.nio.ByteBuffer;

import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.surge.catalog.web.PublicReads;
import dev.surge.service.web.PageRequest;
import reactor.core.publisher.Mono;

@RestController
class SearchController {

    private final ProductSearch search;
    private final PublicReads answers;

    SearchController(ProductSearch search, PublicReads answers) {
        this.search = search;
        this.answers = answers;
    }

    @GetMapping("/api/products/search")
    Mono<ResponseEntity<ByteBuffer>> search(@RequestParam(required = false) String q, @RequestParam(required = false) String page,
            @RequestParam(required = false) String size, ServerHttpRequest request) {
        return Mono.fromCallable(() -> PageRequest.parse(page, size))
                .flatMap(parsed -> search.search(q, parsed))
                .map(json -> answers.ok(json, request));
    }
}
