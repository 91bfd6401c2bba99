package dev.surge.catalog.product;

import org.springframework.stereotype.Service;

import dev.surge.catalog.category.CategoryTree;
import dev.surge.catalog.review.R2dbcReviewRepository;
import dev.surge.catalog.review.Review;
import dev.surge.catalog.web.NotFound;
import dev.surge.catalog.web.Page;
import dev.surge.catalog.web.PageRequest;
import reactor.core.publisher.Mono;

/** Browsing: pages of products, one product's details, its reviews. */
@Service
public class ProductCatalog {

    /** How many reviews the details answer carries; the rest are paged through {@code /reviews}. */
    static final int REVIEWS_IN_DETAILS = 5;

    private final R2dbcProductRepository products;
    private final R2dbcReviewRepository reviews;
    private final CategoryTree categories;

    ProductCatalog(R2dbcProductRepository products, R2dbcReviewRepository reviews, CategoryTree categories) {
        this.products = products;
        this.reviews = reviews;
        this.categories = categories;
    }

    /** Active products, optionally of one category and everything below it. */
    public Mono<Page<ProductSummary>> list(String category, ProductSort sort, PageRequest page) {
        Mono<Boolean> known = category == null ? Mono.just(true) : categories.exists(category);
        return known
                .filter(Boolean::booleanValue)
                .switchIfEmpty(Mono.error(() -> new NotFound("category", category)))
                .then(Mono.zip(products.page(category, sort, page).collectList(), products.count(category)))
                .map(found -> new Page<>(found.getT1(), page.page(), page.size(), found.getT2()));
    }

    public Mono<ProductDetails> details(String sku) {
        return products.find(sku)
                .switchIfEmpty(Mono.error(() -> new NotFound("product", sku)))
                .flatMap(this::withImagesReviewsAndPath);
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
