package dev.surge.order.checkout;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;

import dev.surge.events.EventEnvelope;
import dev.surge.events.order.OrderLine;
import dev.surge.events.order.OrderPlaced;
import dev.surge.events.order.PaymentRequested;
import dev.surge.messaging.Outbox;
import dev.surge.order.address.ShippingAddress;
import dev.surge.order.address.ShippingAddresses;
import dev.surge.order.cart.CartContents;
import dev.surge.order.cart.CartLine;
import dev.surge.order.cart.CartProperties;
import dev.surge.order.orders.NewOrder;
import dev.surge.order.orders.OrderView;
import dev.surge.order.orders.Orders;
import dev.surge.order.pricing.Money;
import dev.surge.order.pricing.PricedLine;
import dev.surge.order.pricing.Pricing;
import dev.surge.order.pricing.Quote;
import dev.surge.order.product.CatalogProduct;
import dev.surge.order.product.ProductReadModel;
import dev.surge.order.stock.Availability;
import dev.surge.order.stock.StockLedger;
import dev.surge.service.web.Conflict;
import dev.surge.service.web.InvalidFields;
import dev.surge.service.web.InvalidFields.FieldError;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Checkout: one transaction validates the lines against cart-order's own products (so it works
 * while catalog is down), prices them, writes the order with its first payment attempt and
 * timeline, records the {@code Idempotency-Key}, writes {@code OrderPlaced} and
 * {@code PaymentRequested} (the only place the payment method token goes) to the outbox, empties
 * the cart, and takes the stock last: the hot stock row is locked only from its conditional update
 * to the commit, and a line with too few units left rolls everything back.
 */
@Service
class PlaceOrder {

    static final String OPERATION = "place-order";

    private final ProductReadModel products;
    private final StockLedger stock;
    private final CartContents carts;
    private final ShippingAddresses addresses;
    private final Orders orders;
    private final IdempotencyRecords keys;
    private final Pricing pricing;
    private final Outbox outbox;
    private final TransactionalOperator transactions;
    private final CartProperties limits;
    private final JsonMapper json;

    PlaceOrder(ProductReadModel products, StockLedger stock, CartContents carts, ShippingAddresses addresses, Orders orders,
            IdempotencyRecords keys, Pricing pricing, Outbox outbox, TransactionalOperator transactions,
            CartProperties limits, JsonMapper json) {
        this.products = products;
        this.stock = stock;
        this.carts = carts;
        this.addresses = addresses;
        this.orders = orders;
        this.keys = keys;
        this.pricing = pricing;
        this.outbox = outbox;
        this.transactions = transactions;
        this.limits = limits;
        this.json = json;
    }

    /** What checkout answered. */
    sealed interface Outcome permits Placed, Replayed {
    }

    /** A new order. */
    record Placed(OrderView order) implements Outcome {
    }

    /** A request repeated with its key: the stored answer, nothing done twice. */
    record Replayed(int status, String body, UUID orderId) implements Outcome {
    }

    Mono<Outcome> place(String userId, String email, String idempotencyKey, CheckoutRequest request) {
        return Mono.fromCallable(() -> request.validated(limits.maxLines(), limits.maxQuantityPerLine()))
                .map(savedAddress -> new Validated(request, savedAddress, hash(request)))
                .switchIfEmpty(Mono.fromCallable(() -> new Validated(request, null, hash(request))))
                .flatMap(valid -> transactions.transactional(keys.tryHold(userId, idempotencyKey)
                                .flatMap(held -> held ? Mono.<Outcome>empty() : Mono.error(inProgress()))
                                .switchIfEmpty(Mono.defer(() -> replayOrPlace(userId, email, idempotencyKey, valid))))
                        .onErrorResume(TooFewLeft.class, shortage -> stock.availability(List.of(shortage.sku()))
                                .flatMap(levels -> Mono.error(Availability.outOfStock(shortage.sku(), levels.get(shortage.sku()).available())))));
    }

    private record Validated(CheckoutRequest request, UUID savedAddress, String hash) {
    }

    private Mono<Outcome> replayOrPlace(String userId, String email, String key, Validated valid) {
        return keys.find(userId, key)
                .<Outcome>flatMap(stored -> stored.operation().equals(OPERATION) && stored.requestHash().equals(valid.hash())
                        ? Mono.just(new Replayed(stored.status(), stored.response(), stored.orderId()))
                        : Mono.error(keyReused()))
                .switchIfEmpty(Mono.defer(() -> placeNew(userId, email, key, valid)));
    }

    private Mono<Outcome> placeNew(String userId, String email, String key, Validated valid) {
        CheckoutRequest request = valid.request();
        Mono<ShippingAddress> destination = valid.savedAddress() != null
                ? addresses.saved(userId, valid.savedAddress())
                : addresses.validate(request.address(), "address");
        Mono<List<Wanted>> wanted = request.lines() != null
                ? Mono.just(request.lines().stream().map(line -> new Wanted(line.sku(), line.quantity())).toList())
                : carts.lockedLines(userId).map(lines -> lines.stream().map(PlaceOrder::wanted).toList());
        // one after the other: both run on the transaction's one connection
        return destination.flatMap(address -> wanted
                .flatMap(lines -> priced(lines, address.countryCode()))
                .flatMap(quote -> write(new NewOrder(UUID.randomUUID(), userId, email, quote, address,
                        request.lines() == null), request, key, valid.hash())));
    }

    private record Wanted(String sku, int quantity) {
    }

    private static Wanted wanted(CartLine line) {
        return new Wanted(line.sku(), line.quantity());
    }

    private Mono<Quote> priced(List<Wanted> wanted, String country) {
        if (wanted.isEmpty()) {
            return Mono.error(new Conflict("cart-empty", HttpStatus.CONFLICT, "Cart is empty",
                    "There is nothing in the cart to order", Map.of()));
        }
        if (wanted.size() > limits.maxLines()) {
            return Mono.error(new InvalidFields(List.of(new FieldError("lines",
                    "an order has at most " + limits.maxLines() + " lines"))));
        }
        return products.findAll(wanted.stream().map(Wanted::sku).toList())
                .collectMap(CatalogProduct::sku, Function.identity())
                .flatMap(known -> {
                    List<PricedLine> lines = new ArrayList<>();
                    for (Wanted line : wanted) {
                        CatalogProduct product = known.get(line.sku());
                        if (product == null || !product.onSaleIn(pricing.currency())) {
                            return Mono.error(CatalogProduct.unavailable(line.sku()));
                        }
                        if (line.quantity() > limits.maxQuantityPerLine()) {
                            return Mono.error(new InvalidFields(List.of(new FieldError("lines",
                                    "at most " + limits.maxQuantityPerLine() + " of '" + line.sku() + "' per order"))));
                        }
                        lines.add(PricedLine.of(line.sku(), product.name(), line.quantity(), Money.of(product.price())));
                    }
                    return Mono.just(pricing.quote(lines, country));
                });
    }

    private Mono<Outcome> write(NewOrder order, CheckoutRequest request, String key, String hash) {
        if (!order.quote().total().equals(request.expectedTotal())) {
            return Mono.error(priceChanged(order.quote()));
        }
        UUID id = order.id();
        OrderPlaced placed = new OrderPlaced(id, order.userId(), order.email(), order.lines().stream()
                .map(line -> new OrderLine(line.sku(), line.name(), line.quantity(), line.unitPrice().toEvent(),
                        line.lineTotal().toEvent()))
                .toList(), order.quote().subtotal().toEvent(), order.quote().tax().toEvent(),
                order.quote().shipping().toEvent(), order.quote().total().toEvent());
        PaymentRequested payment = new PaymentRequested(id, order.userId(), 1, order.quote().total().toEvent(),
                request.paymentMethod());
        return orders.insert(order)
                .flatMap(view -> keys.insert(order.userId(), key, new IdempotencyRecords.Stored(OPERATION, hash, id,
                                HttpStatus.CREATED.value(), json.writeValueAsString(view)))
                        .then(outbox.append(EventEnvelope.of(id.toString(), 1, placed)))
                        .then(outbox.append(EventEnvelope.of(id.toString(), 1, payment)))
                        .then(order.fromCart() ? carts.empty(order.userId()) : Mono.empty())
                        // last: each stock row is locked from its update to the commit; in sku order, so two
                        // orders of the same skus never wait for each other crosswise
                        .then(takeStock(order.lines()))
                        .thenReturn(new Placed(view)));
    }

    private Mono<Void> takeStock(List<PricedLine> lines) {
        return Flux.fromIterable(lines)
                .sort(Comparator.comparing(PricedLine::sku))
                .concatMap(line -> stock.take(line.sku(), line.quantity(), "ORDER_PLACED")
                        .flatMap(taken -> taken ? Mono.<Void>empty() : Mono.error(new TooFewLeft(line.sku()))))
                .then();
    }

    /** A line had too few units left; the transaction is rolled back, then the shopper is told how many there are. */
    private static final class TooFewLeft extends RuntimeException {

        private final String sku;

        TooFewLeft(String sku) {
            super("too few units of " + sku, null, false, false);
            this.sku = sku;
        }

        String sku() {
            return sku;
        }
    }

    private String hash(CheckoutRequest request) {
        Map<String, Object> canonical = new LinkedHashMap<>();
        canonical.put("addressId", request.addressId());
        canonical.put("address", request.address() == null ? null : new TreeMap<>(request.address()));
        canonical.put("paymentMethod", request.paymentMethod());
        canonical.put("expectedTotal", request.expectedTotal());
        canonical.put("lines", request.lines());
        return sha256(json.writeValueAsString(canonical));
    }

    /** A request's stand-in in the idempotency record: it holds payment tokens, which are never stored. */
    static String sha256(String canonical) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }


    private static Conflict priceChanged(Quote quote) {
        return new Conflict("price-changed", HttpStatus.CONFLICT, "Price changed",
                "The total is now " + quote.total().amount() + " " + quote.total().currency()
                        + "; confirm it by placing the order again with this expectedTotal",
                Map.of("lines", quote.lines(), "subtotal", quote.subtotal(), "shipping", quote.shipping(),
                        "tax", quote.tax(), "total", quote.total()));
    }

    static Conflict inProgress() {
        return new Conflict("request-in-progress", HttpStatus.CONFLICT, "Request in progress",
                "A request with this Idempotency-Key is still being processed; retry shortly", Map.of());
    }

    static Conflict keyReused() {
        return new Conflict("idempotency-key-reused", HttpStatus.UNPROCESSABLE_CONTENT, "Idempotency-Key reused",
                "This Idempotency-Key was used for another request; use a new key for a new request", Map.of());
    }
}
