package dev.surge.catalog.category;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Service;

import dev.surge.catalog.cache.CatalogCache;
import dev.surge.catalog.cache.CatalogCacheProperties;
import dev.surge.catalog.cache.Cached;
import dev.surge.catalog.cache.CachedJson;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;

/** Browsing by category: the tree, a category's path, whether one exists. */
@Service
public class CategoryTree {

    private static final TypeReference<List<Category>> TREE = new TypeReference<>() { };

    private final R2dbcCategoryRepository categories;
    private final CatalogCache cache;
    private final CatalogCacheProperties cacheSettings;

    CategoryTree(R2dbcCategoryRepository categories, CatalogCache cache, CatalogCacheProperties cacheSettings) {
        this.categories = categories;
        this.cache = cache;
        this.cacheSettings = cacheSettings;
    }

    /** Top-level departments with their sub-categories, in display order, as the JSON sent. */
    public Mono<CachedJson> tree() {
        return cache.json(new Cached<>("categories", cacheSettings.listTtl(), TREE, tree -> List.of(), List.of()),
                () -> categories.all()
                        .collectList()
                        .map(CategoryTree::assemble));
    }

    /** The category and every category above it, as ids: the listings a change to one of its products touches. */
    public Flux<String> selfAndAncestors(String id) {
        return categories.selfAndAncestors(id);
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
