package dev.surge.catalog.category;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Service;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Browsing by category: the tree, a category's path, whether one exists. */
@Service
public class CategoryTree {

    private final R2dbcCategoryRepository categories;

    CategoryTree(R2dbcCategoryRepository categories) {
        this.categories = categories;
    }

    /** Top-level departments with their sub-categories, in display order. */
    public Mono<List<Category>> tree() {
        return categories.all()
                .collectList()
                .map(CategoryTree::assemble);
    }

    public Flux<String> path(String id) {
        return categories.path(id);
    }

    public Mono<Boolean> exists(String id) {
        return categories.exists(id);
    }

    private static List<Category> assemble(List<R2dbcCategoryRepository.CategoryRow> rows) {
        Map<String, List<R2dbcCategoryRepository.CategoryRow>> byParent = new LinkedHashMap<>();
        rows.forEach(row -> byParent.computeIfAbsent(row.parentId() == null ? "" : row.parentId(), parent -> new ArrayList<>())
                .add(row));
        return children("", byParent);
    }

    private static List<Category> children(String parent, Map<String, List<R2dbcCategoryRepository.CategoryRow>> byParent) {
        return byParent.getOrDefault(parent, List.of()).stream()
                .map(row -> new Category(row.id(), row.name(), children(row.id(), byParent)))
                .toList();
    }
}
