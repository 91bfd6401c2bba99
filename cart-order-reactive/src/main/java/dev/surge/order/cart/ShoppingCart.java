package dev.surge.order.cart;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;

import dev.surge.events.EventEnvelope;
import dev.surge.events.order.ItemAddedToCart;
import dev.surge.events.order.ItemRemovedFromCart;
import dev.surge.messaging.Outbox;
import dev.surge.order.address.ShippingAddress;
import dev.surge.order.address.ShippingAddresses;
import dev.surge.order.pricing.Money;
import dev.surge.order.pricing.PricedLine;
import dev.surge.order.pricing.Pricing;
import dev.surge.order.pricing.Quote;
import dev.surge.order.product.CatalogProduct;
import dev.surge.order.product.ProductReadModel;
import dev.surge.order.stock.Availability;
import dev.surge.order.stock.StockLedger;
import dev.surge.service.web.InvalidFields;
import dev.surge.service.web.InvalidFields.FieldError;
import dev.surge.service.web.NotFound;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A signed-in shopper's cart. Every change runs in one transaction that first bumps (and so locks)
 * the cart row, so one shopper's concurrent changes queue; changes that add units are announced as
 * {@code ItemAddedToCart}, removals as {@code ItemRemovedFromCart}, through the outbox. Prices,
 * names and stock come from cart-order's own read model and stock, never from catalog.
 */
@Service
class ShoppingCart implements CartContents {

    private final R2dbcCartRepository carts;
    private final ProductReadModel products;
    private final StockLedger stock;
    private final ShippingAddresses addresses;
    private final Pricing pricing;
    private final Outbox outbox;
    private final TransactionalOperator transactions;
    private final CartProperties limits;
    private final CartCopies copies;

    ShoppingCart(R2dbcCartRepository carts, ProductReadModel products, StockLedger stock, ShippingAddresses addresses,
            Pricing pricing, Outbox outbox, TransactionalOperator transactions, CartProperties limits, CartCopies copies) {
        this.carts = carts;
        this.products = products;
        this.stock = stock;
        this.addresses = addresses;
        this.pricing = pricing;
        this.outbox = outbox;
        this.transactions = transactions;
        this.limits = limits;
        this.copies = copies;
    }

    /** The cart as it is now: its lines from the Redis copy when that is current, priced and stocked now. */
    Mono<CartView> view(String userId, UUID addressId) {
        return copies.current(userId, carts.version(userId), carts.snapshot(userId))
                .flatMap(cart -> view(userId, cart, addressId));
    }

    /** The cart right after a change committed: read from PostgreSQL and copied to Redis for the next view. */
    private Mono<CartView> changed(String userId) {
        return carts.snapshot(userId)
                .flatMap(cart -> copies.put(userId, cart).thenReturn(cart))
                .flatMap(cart -> view(userId, cart, null));
    }

    private Mono<CartView> view(String userId, CartSnapshot cart, UUID addressId) {
        Mono<ShippingAddress> destination = addressId != null
                ? addresses.saved(userId, addressId)
                : addresses.defaultFor(userId);
        return destination.map(address -> address.countryCode())
                .defaultIfEmpty("")
                .flatMap(country -> render(cart.lines(), cart.version(), country));
    }

    Mono<CartView> add(String userId, CartRequests.Item item) {
        return Mono.fromRunnable(() -> CartRequests.check(item, limits.maxQuantityPerLine()))
                .then(Mono.defer(() -> purchasable(item.sku())))
                .flatMap(product -> transactions.transactional(carts.lockAndBump(userId)
                        .flatMap(version -> carts.lines(userId).collectList()
                                .flatMap(lines -> addUnits(userId, version, lines, product, item.quantity())))))
                .then(Mono.defer(() -> changed(userId)));
    }

    Mono<CartView> change(String userId, String sku, CartRequests.Quantity change) {
        return Mono.fromCallable(() -> CartRequests.quantity(change.quantity(), limits.maxQuantityPerLine()))
                .flatMap(quantity -> transactions.transactional(carts.lockAndBump(userId)
                        .flatMap(version -> carts.lines(userId).collectList()
                                .flatMap(lines -> setQuantity(userId, version, lines, sku, quantity)))))
                .then(Mono.defer(() -> changed(userId)));
    }

    Mono<CartView> remove(String userId, String sku) {
        Mono<Void> removal = carts.lockAndBump(userId)
                .flatMap(version -> carts.deleteLine(userId, sku)
                        .filter(Boolean::booleanValue)
                        .switchIfEmpty(Mono.error(() -> new NotFound("cart line", sku)))
                        .then(outbox.append(EventEnvelope.of(userId, version, new ItemRemovedFromCart(userId, sku)))));
        return transactions.transactional(removal)
                .then(Mono.defer(() -> changed(userId)));
    }

    Mono<MergeOutcome> merge(String userId, CartRequests.GuestCart guest) {
        List<CartRequests.Item> lines = guest == null || guest.lines() == null ? List.of()
                : guest.lines().stream().map(line -> line == null ? new CartRequests.Item(null, null) : line).toList();
        if (lines.size() > 2 * limits.maxLines()) {
            return Mono.error(new InvalidFields(List.of(new FieldError("lines",
                    "a guest cart has at most " + 2 * limits.maxLines() + " lines"))));
        }
        List<String> skus = lines.stream().map(CartRequests.Item::sku).filter(CartRequests::validSku).distinct().toList();
        Mono<GuestCartMerge.Plan> merged = carts.lock(userId)
                .then(carts.lines(userId).collectMap(CartLine::sku, CartLine::quantity))
                .flatMap(held -> productsBySku(skus)
                        .zipWith(stock.availability(skus))
                        .map(state -> GuestCartMerge.plan(lines, held, state.getT1(), state.getT2(), limits))
                        .flatMap(plan -> applyMerge(userId, held, plan)));
        return transactions.transactional(merged)
                .flatMap(plan -> changed(userId).map(cart -> new MergeOutcome(cart, plan.adjustments())));
    }

    /**
     * The outcome of a merge.
     *
     * @param cart the merged cart
     * @param adjustments every guest line that did not arrive as asked
     */
    record MergeOutcome(CartView cart, List<GuestCartMerge.Adjustment> adjustments) {
    }

    @Override
    public Mono<List<CartLine>> lockedLines(String userId) {
        return carts.lock(userId)
                .thenMany(carts.lines(userId))
                .collectList();
    }

    @Override
    public Mono<Void> empty(String userId) {
        return carts.lockAndBump(userId)
                .then(carts.deleteAll(userId));
    }

    private Mono<GuestCartMerge.Plan> applyMerge(String userId, Map<String, Integer> held, GuestCartMerge.Plan plan) {
        // one cart version per event, so no two of the merge's events share a version; the cart row comes
        // first (a first sign-in has none yet, and every line refers to it)
        return Flux.fromIterable(plan.quantities().entrySet())
                .concatMap(line -> products.find(line.getKey())
                        .flatMap(product -> carts.lockAndBump(userId)
                                .flatMap(version -> carts.putLine(userId, line.getKey(), line.getValue(), Money.of(product.price()))
                                        .then(outbox.append(EventEnvelope.of(userId, version,
                                                new ItemAddedToCart(userId, line.getKey(), line.getValue() - held.getOrDefault(line.getKey(), 0),
                                                        product.price())))))))
                .then(Mono.just(plan));
    }

    private Mono<Void> addUnits(String userId, long version, List<CartLine> lines, CatalogProduct product, int units) {
        int held = lines.stream().filter(line -> line.sku().equals(product.sku())).mapToInt(CartLine::quantity).sum();
        if (held == 0 && lines.size() >= limits.maxLines()) {
            return Mono.error(new InvalidFields(List.of(new FieldError("sku",
                    "the cart holds at most " + limits.maxLines() + " different products"))));
        }
        int quantity = held + units;
        if (quantity > limits.maxQuantityPerLine()) {
            return Mono.error(new InvalidFields(List.of(new FieldError("quantity",
                    "at most " + limits.maxQuantityPerLine() + " of one product per order; the cart holds " + held))));
        }
        return requireStock(product.sku(), quantity)
                .then(carts.putLine(userId, product.sku(), quantity, Money.of(product.price())))
                .then(outbox.append(EventEnvelope.of(userId, version,
                        new ItemAddedToCart(userId, product.sku(), units, product.price()))));
    }

    private Mono<Void> setQuantity(String userId, long version, List<CartLine> lines, String sku, int quantity) {
        CartLine line = lines.stream().filter(held -> held.sku().equals(sku)).findFirst().orElse(null);
        if (line == null) {
            return Mono.error(new NotFound("cart line", sku));
        }
        Mono<Void> put = carts.putLine(userId, sku, quantity, line.priceWhenAdded());
        if (quantity <= line.quantity()) {
            return put;
        }
        return requireStock(sku, quantity)
                .then(put)
                .then(outbox.append(EventEnvelope.of(userId, version,
                        new ItemAddedToCart(userId, sku, quantity - line.quantity(), line.priceWhenAdded().toEvent()))));
    }

    private Mono<Void> requireStock(String sku, int quantity) {
        return stock.availability(List.of(sku))
                .map(levels -> levels.get(sku))
                .flatMap(level -> level.available() >= quantity
                        ? Mono.empty()
                        : Mono.error(Availability.outOfStock(sku, level.available())));
    }


    private Mono<CatalogProduct> purchasable(String sku) {
        return products.find(sku)
                .switchIfEmpty(Mono.error(() -> new NotFound("product", sku)))
                .flatMap(product -> product.onSaleIn(pricing.currency())
                        ? Mono.just(product)
                        : Mono.error(CatalogProduct.unavailable(sku)));
    }

    private Mono<Map<String, CatalogProduct>> productsBySku(Collection<String> skus) {
        return products.findAll(skus)
                .collectMap(CatalogProduct::sku, Function.identity());
    }

    private Mono<CartView> render(List<CartLine> lines, long version, String country) {
        List<String> skus = lines.stream().map(CartLine::sku).toList();
        return Mono.zip(productsBySku(skus), stock.availability(skus))
                .map(state -> render(lines, version, country, state.getT1(), state.getT2()));
    }

    private CartView render(List<CartLine> lines, long version, String country, Map<String, CatalogProduct> known,
            Map<String, Availability> levels) {
        List<CartView.Line> view = new ArrayList<>();
        List<PricedLine> orderable = new ArrayList<>();
        int items = 0;
        for (CartLine line : lines) {
            CatalogProduct product = known.get(line.sku());
            items += line.quantity();
            if (product == null || !product.onSaleIn(pricing.currency())) {
                view.add(new CartView.Line(line.sku(), product == null ? null : product.name(),
                        product == null ? null : product.imageUrl(), line.quantity(), line.priceWhenAdded(),
                        line.priceWhenAdded().times(line.quantity()), "UNAVAILABLE", 0, false, line.priceWhenAdded()));
                continue;
            }
            Availability level = levels.get(line.sku());
            Money price = Money.of(product.price());
            CartView.Line shown = new CartView.Line(line.sku(), product.name(), product.imageUrl(), line.quantity(), price,
                    price.times(line.quantity()), level.state().name(),
                    Math.min(level.available(), limits.maxQuantityPerLine()), !price.equals(line.priceWhenAdded()),
                    line.priceWhenAdded());
            view.add(shown);
            if (shown.canBeOrdered()) {
                orderable.add(PricedLine.of(line.sku(), product.name(), line.quantity(), price));
            }
        }
        Quote quote = pricing.quote(orderable, country.isEmpty() ? "" : country);
        CartView.Estimate estimate = country.isEmpty() ? null
                : new CartView.Estimate(country, quote.shipping(), quote.tax(), quote.total());
        return new CartView(view, items, quote.subtotal(), estimate, version);
    }

    /** Names, images, prices and availability for a guest's cart; unknown and invalid skus are left out. */
    Mono<List<GuestPrice>> prices(CartRequests.PriceLookup lookup) {
        List<String> skus = lookup == null || lookup.skus() == null ? List.of()
                : lookup.skus().stream().filter(CartRequests::validSku).distinct().toList();
        if (skus.size() > 2 * limits.maxLines()) {
            return Mono.error(new InvalidFields(List.of(new FieldError("skus",
                    "at most " + 2 * limits.maxLines() + " skus at once"))));
        }
        return Mono.zip(productsBySku(skus), stock.availability(skus))
                .map(state -> skus.stream()
                        .filter(state.getT1()::containsKey)
                        .map(sku -> GuestPrice.of(state.getT1().get(sku), state.getT2().get(sku), limits, pricing))
                        .collect(Collectors.toList()));
    }

    /**
     * What a guest's cart shows of one product.
     *
     * @param sku the product
     * @param name its name
     * @param imageUrl its image, when it has one
     * @param unitPrice its price now
     * @param availability {@code IN_STOCK}, {@code LOW}, {@code OUT_OF_STOCK} or {@code UNAVAILABLE}
     * @param orderable how many can be ordered now
     */
    record GuestPrice(String sku, String name, String imageUrl, Money unitPrice, String availability, int orderable) {

        static GuestPrice of(CatalogProduct product, Availability level, CartProperties limits, Pricing pricing) {
            boolean onSale = product.onSaleIn(pricing.currency());
            return new GuestPrice(product.sku(), product.name(), product.imageUrl(), Money.of(product.price()),
                    onSale ? level.state().name() : "UNAVAILABLE",
                    onSale ? Math.min(level.available(), limits.maxQuantityPerLine()) : 0);
        }
    }
}
