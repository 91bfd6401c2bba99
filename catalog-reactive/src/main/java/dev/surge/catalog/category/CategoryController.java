package dev.surge.catalog.category;

import java.nio.ByteBuffer;

import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.surge.catalog.web.PublicReads;
import reactor.core.publisher.Mono;

@RestController
class CategoryController {

    private final CategoryTree categories;
    private final PublicReads answers;

    CategoryController(CategoryTree categories, PublicReads answers) {
        this.categories = categories;
        this.answers = answers;
    }

    @GetMapping("/api/categories")
    Mono<ResponseEntity<ByteBuffer>> tree(ServerHttpRequest request) {
        return categories.tree().map(json -> answers.ok(json, request));
    }
}
