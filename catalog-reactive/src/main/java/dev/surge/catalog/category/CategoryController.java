package dev.surge.catalog.category;

import java.util.List;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import reactor.core.publisher.Mono;

@RestController
class CategoryController {

    private final CategoryTree categories;

    CategoryController(CategoryTree categories) {
        this.categories = categories;
    }

    @GetMapping("/api/categories")
    Mono<List<Category>> tree() {
        return categories.tree();
    }
}
