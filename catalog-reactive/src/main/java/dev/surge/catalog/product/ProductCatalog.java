package dev.surge.catalog.product;

import java.util.List;

import org.springframework.stereotype.Service;

import dev.surge.catalog.cache.CatalogCache;
import dev.surge.catalog.cache.CatalogCacheProperties;
import dev.surge.catalog.cache.Cached;
import dev.surge.catalog.cache.CachedJson;
import dev.surge.catalog.category.CategoryTree;
import dev.surge.catalog.review.R2dbcReviewRepository;
import dev.surge.catalog.review.Review;
import dev.surge.service.web.NotFound;
import dev.surge.service.web.Page;
import dev.surge.service.web.PageRequest;
import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;

/** Browsing: pages of products, one product's details, its reviews. */
@Service
public class ProductCatalog {

    /** How many reviews the details answer carries; the rest are paged through {@code /reviews}. */
    static final int REVIEWS_IN_DETAILS = 5;

    private static final TypeReference<Page<ProductSummary>> PAGE = new TypeReference<>() { };
    private static final TypeReference<ProductDetails> DETAILS = new TypeReference<>() { };

    private final R2dbcProductRepository products;
    private final R2dbcReviewRepository reviews;
    private final CategoryTree categories;
    private final CatalogCache cache;
    private final CatalogCacheProperties cacheSettings;

    ProductCatalog(R2dbcProductRepository products, R2dbcReviewRepository reviews, CategoryTree categories,
            CatalogCache cache, CatalogCacheProperties cacheSettings) {
        this.products = products;
        this.reviews = reviews;
        this.categories = categories;
        this.cache = cache;
        this.cacheSettings = cacheSettings;
    }

    /**
     * Active products, optionally of one category and everything below it, as the JSON sent: a
     * cached page as Redis holds it.
     */
    public Mono<CachedJson> list(String category, ProductSort sort, PageRequest page) {
        String listing = category == null ? CatalogCache.ALL_CATEGORIES : category;
        Cached<Page<ProductSummary>> entry = new Cached<>(
                "list:" + listing + ":" + sort.parameter() + ":" + page.page() + ":" + page.size(),
                cacheSettings.listTtl(), PAGE, ProductCatalog::skus, List.of(listing));
        return cacheSettings.caches(page)
                ? cache.json(entry, () -> load(category, sort, page))
                : cache.uncached(load(category, sort, page));
    }

    /** One product's details as the JSON sent: from Redis as it holds them when cached. */
    public Mono<CachedJson> detailsJson(String sku) {
        return cache.json(detailsEntry(sku), () -> loadDetails(sku));
    }

    public Mono<ProductDetails> details(String sku) {
        return cache.get(detailsEntry(sku), () -> loadDetails(sku));
    }

    private Cached<ProductDetails> detailsEntry(String sku) {
        return new Cached<>("details:" + sku, cacheSettings.detailsTtl(), DETAILS,
                details -> List.of(details.sku()), List.of());
    }

    private Mono<ProductDetails> loadDetails(String sku) {
        return products.find(sku)
                .switchIfEmpty(Mono.error(() -> new NotFound("product", sku)))
                .flatMap(this::withImagesReviewsAndPath);
    }

    private Mono<Page<ProductSummary>> load(String category, ProductSort sort, PageRequest page) {
        Mono<Boolean> known = category == null ? Mono.just(true) : categories.exists(category);
        return known
                .filter(Boolean::booleanValue)
                .switchIfEmpty(Mono.error(() -> new NotFound("category", category)))
                .then(Mono.zip(products.page(category, sort, page).collectList(), products.count(category)))
                .map(found -> new Page<>(found.getT1(), page.page(), page.size(), found.getT2()));
    }

    private static List<String> skus(Page<ProductSummary> page) {
        return page.items().stream().map(ProductSummary::sku).toList();
    }

    /** The display name of an active product. */
    public Mono<String> name(String sku) {
        return products.find(sku)
                .map(R2dbcProductRepository.ProductRow::name)
                .switchIfEmpty(Mono.error(() -> new NotFound("product", sku)));
    }

    public Mono<Page<Review>> reviews(String sku, PageRequest page) {
        return products.find(sku)
                .switchIfEmpty(Mono.error(() -> new NotFound("product", sku)))
                .then(Mono.zip(reviews.newest(sku, page.size(), page.offset()).collectList(), reviews.count(sku)))
                .map(found -> new Page<>(found.getT1(), page.page(), page.size(), found.getT2()));
    }

    private Mono<ProductDetails> withImagesReviewsAndPath(R2dbcProductRepository.ProductRow product) {
        return Mono.zip(
                        products.images(product.sku()).collectList(),
                        reviews.newest(product.sku(), REVIEWS_IN_DETAILS, 0).collectList(),
                        categories.path(product.categoryId()).collectList())
                .map(parts -> new ProductDetails(product.sku(), product.name(), product.description(), product.brand(),
                        product.categoryId(), parts.getT3(), product.price(), parts.getT1(), product.attributes(),
                        product.rating(), product.availability(), parts.getT2(), product.createdAt().toInstant()));
    }
}
