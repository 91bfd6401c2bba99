package dev.surge.catalog.administration;

import java.util.List;

import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;

import dev.surge.catalog.cache.CatalogCache;
import dev.surge.catalog.category.CategoryTree;
import dev.surge.catalog.product.ProductCatalog;
import dev.surge.catalog.product.ProductDetails;
import dev.surge.service.web.Conflict;
import dev.surge.service.web.InvalidFields;
import dev.surge.service.web.NotFound;
import dev.surge.events.EventEnvelope;
import dev.surge.events.Money;
import dev.surge.events.catalog.ProductChanged;
import dev.surge.events.catalog.ProductDeactivated;
import dev.surge.messaging.Outbox;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Ops create, replace and take products off sale. Each change and its event ({@code ProductChanged}
 * or {@code ProductDeactivated} on {@code shop.catalog.v1}) commit in one transaction through the
 * outbox; the cache is evicted after the commit.
 */
@Service
class ProductAdministration {

    private final R2dbcProductAdministrationRepository products;
    private final CategoryTree categories;
    private final ProductCatalog catalog;
    private final Outbox outbox;
    private final CatalogCache cache;
    private final TransactionalOperator transactions;

    ProductAdministration(R2dbcProductAdministrationRepository products, CategoryTree categories,
            ProductCatalog catalog, Outbox outbox, CatalogCache cache, TransactionalOperator transactions) {
        this.products = products;
        this.categories = categories;
        this.catalog = catalog;
        this.outbox = outbox;
        this.cache = cache;
        this.transactions = transactions;
    }

    Mono<ProductDetails> create(ProductForm submitted) {
        return Mono.fromCallable(() -> submitted.validated(null))
                .flatMap(this::requireKnownCategory)
                .flatMap(form -> transactions.transactional(products.insert(form)
                                .switchIfEmpty(Mono.error(() -> new Conflict("product-exists",
                                        "A product with SKU '" + form.sku() + "' exists already")))
                                .flatMap(written -> announce(form, written)))
                        .flatMap(written -> evict(form.sku(), written.previousCategory(), form.categoryId()))
                        .then(catalog.details(form.sku())));
    }

    Mono<ProductDetails> replace(String sku, ProductForm submitted) {
        return Mono.fromCallable(() -> submitted.validated(sku))
                .flatMap(this::requireKnownCategory)
                .flatMap(form -> transactions.transactional(products.replace(form)
                                .switchIfEmpty(Mono.error(() -> new NotFound("product", sku)))
                                .flatMap(written -> announce(form, written)))
                        .flatMap(written -> evict(sku, written.previousCategory(), form.categoryId()))
                        .then(form.active() ? catalog.details(sku) : Mono.empty()));
    }

    /** Takes a product off sale; doing it again changes nothing and announces nothing. */
    Mono<Void> deactivate(String sku) {
        Mono<R2dbcProductAdministrationRepository.Written> deactivated = products.deactivate(sku)
                .flatMap(written -> outbox.append(EventEnvelope.of(sku, written.version(), new ProductDeactivated(sku)))
                        .thenReturn(written));
        return transactions.transactional(deactivated)
                .flatMap(written -> evict(sku, written.previousCategory(), written.previousCategory()))
                .switchIfEmpty(products.exists(sku)
                        .filter(Boolean::booleanValue)
                        .switchIfEmpty(Mono.error(() -> new NotFound("product", sku)))
                        .then())
                .then();
    }

    private Mono<ProductForm> requireKnownCategory(ProductForm form) {
        return categories.exists(form.categoryId())
                .filter(Boolean::booleanValue)
                .map(known -> form)
                .switchIfEmpty(Mono.error(() -> new InvalidFields(List.of(
                        new InvalidFields.FieldError("categoryId", "names no category")))));
    }

    private Mono<R2dbcProductAdministrationRepository.Written> announce(ProductForm form,
            R2dbcProductAdministrationRepository.Written written) {
        ProductChanged changed = new ProductChanged(form.sku(), form.name(), form.brand(), form.categoryId(),
                new Money(form.price().amount(), form.price().currency()), form.active(), written.at().toInstant());
        return outbox.append(EventEnvelope.of(form.sku(), written.version(), changed))
                .thenReturn(written);
    }

    /** The product, the pages showing it, and the listings of its old and new category and their ancestors. */
    private Mono<Void> evict(String sku, String previousCategory, String category) {
        return Flux.concat(categories.selfAndAncestors(previousCategory), categories.selfAndAncestors(category),
                        Flux.just(CatalogCache.ALL_CATEGORIES))
                .distinct()
                .collectList()
                .flatMap(listings -> cache.evictProduct(sku, listings));
    }
}
