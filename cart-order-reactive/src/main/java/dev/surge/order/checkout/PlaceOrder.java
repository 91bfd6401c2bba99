package dev.surge.order.checkout;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

import dev.surge.events.EventEnvelope;
import dev.surge.events.order.OrderLine;
import dev.surge.events.order.OrderPlaced;
import dev.surge.events.order.PaymentRequested;
import dev.surge.order.address.ShippingAddress;
import dev.surge.order.address.ShippingAddresses;
import dev.surge.order.cart.CartCopies;
import dev.surge.order.cart.CartProperties;
import dev.surge.order.flashsale.FlashSaleRefusals;
import dev.surge.order.flashsale.AdmissionTokens;
import dev.surge.order.flashsale.RedisStockGate;
import dev.surge.order.flashsale.SaleCheckoutLoad;
import dev.surge.order.flashsale.SaleRefusal;
import dev.surge.order.orders.NewOrder;
import dev.surge.order.orders.OrderCopies;
import dev.surge.order.orders.OrderView;
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
import dev.surge.service.web.NotFound;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Checkout: validates the lines against cart-order's own products (so it works while catalog is
 * down) and prices them, then writes everything in one statement ({@link OrderPlacement}): the
 * {@code Idempotency-Key}, the order with its first payment attempt and timeline, {@code OrderPlaced}
 * and {@code PaymentRequested} (the only place the payment method token goes) in the outbox, the
 * emptied cart, and the stock, taken last. The statement writes only if the products and the cart are
 * still what the order was priced from; when one changed in between, checkout prices again.
 *
 * <p>A request that fails before anything is written (an empty cart, a changed price, a sold-out
 * line) first checks its key: a repeated request replays what its first answer was, even when the
 * cart it emptied or the stock it took would now refuse it.
 *
 * <p>A buy-now of a flash sale's sku first passes the sale's Redis gate, before anything touches
 * PostgreSQL: sold out or over the limit is answered from Redis. What the gate took and no placed
 * order holds (a refusal, a failure, a replay) is given back to it; what a checkout cut off on its
 * way never settled, {@code StrandedUnits} gives back later.
 */
@Service
class PlaceOrder {

    static final String OPERATION = "place-order";

    /** How often checkout prices again when the products, the cart or two orders' stock rows moved under it. */
    private static final int ATTEMPTS = 3;

    private final ProductReadModel products;
    private final StockLedger stock;
    private final ShippingAddresses addresses;
    private final OrderPlacement placement;
    private final IdempotencyRecords keys;
    private final Pricing pricing;
    private final CartProperties limits;
    private final JsonMapper json;
    private final OrderCopies copies;
    private final CartCopies cartCopies;
    private final RedisStockGate gate;
    private final FlashSaleRefusals saleRefusals;
    private final AdmissionTokens tokens;
    private final SaleCheckoutLoad saleLoad;

    PlaceOrder(ProductReadModel products, StockLedger stock, ShippingAddresses addresses, OrderPlacement placement,
            IdempotencyRecords keys, Pricing pricing, CartProperties limits, JsonMapper json, OrderCopies copies,
            CartCopies cartCopies, RedisStockGate gate, FlashSaleRefusals saleRefusals, AdmissionTokens tokens,
            SaleCheckoutLoad saleLoad) {
        this.gate = gate;
        this.saleLoad = saleLoad;
        this.tokens = tokens;
        this.saleRefusals = saleRefusals;
        this.copies = copies;
        this.cartCopies = cartCopies;
        this.products = products;
        this.stock = stock;
        this.addresses = addresses;
        this.placement = placement;
        this.keys = keys;
        this.pricing = pricing;
        this.limits = limits;
        this.json = json;
    }

    /** What checkout answered. */
    sealed interface Outcome permits Placed, Replayed {
    }

    /** A new order; {@code fromSales}: the skus it took from their flash sales. */
    record Placed(OrderView order, List<String> fromSales) implements Outcome {

        Placed(OrderView order) {
            this(order, List.of());
        }
    }

    /** A request repeated with its key: the stored answer, nothing done twice. */
    record Replayed(int status, String body, UUID orderId) implements Outcome {
    }

    /**
     * @param admissionToken the waiting room's admission token a flash sale's buy-now carries; null for none
     */
    Mono<Outcome> place(String userId, String email, String idempotencyKey, String admissionToken, CheckoutRequest request) {
        return Mono.fromCallable(() -> request.validated(limits.maxLines(), limits.maxQuantityPerLine()))
                .map(savedAddress -> new Validated(request, savedAddress, hash(request)))
                .switchIfEmpty(Mono.fromCallable(() -> new Validated(request, null, hash(request))))
                .flatMap(valid -> admitted(userId, admissionToken, valid)
                        .flatMap(admission -> settled(admission, saleLoad.measure(admission.fromSale(),
                                attempt(userId, email, idempotencyKey, valid, 1))))
                        .onErrorResume(PlaceOrder::refusal, refused -> replay(userId, idempotencyKey, valid)
                                .switchIfEmpty(Mono.error(refused))));
    }

    /**
     * What the order would cost now, priced exactly as checkout prices it, for its lines (or the cart)
     * and its address: nothing is taken, held or written, no gate is asked. A buy-now's buyer (a flash
     * sale's, whose time to buy is short) learns the total to confirm before sending the order, not
     * from a {@code 409 price-changed} that costs a checkout and a round trip through the gate.
     */
    Mono<Quote> quote(String userId, CheckoutRequest request) {
        return Mono.fromCallable(() -> Optional.ofNullable(request.validatedForQuote(limits.maxLines(), limits.maxQuantityPerLine())))
                .flatMap(savedAddress -> {
                    Mono<ShippingAddress> destination = savedAddress.isPresent()
                            ? addresses.saved(userId, savedAddress.get())
                            : addresses.validate(request.address(), "address");
                    return destination.zipWith(wanted(userId, request))
                            .flatMap(found -> priced(found.getT2().lines(), found.getT1().countryCode()))
                            .map(Priced::quote);
                });
    }

    /** A buy-now's lines, or the shopper's cart. */
    private Mono<OrderPlacement.CartSnapshot> wanted(String userId, CheckoutRequest request) {
        return request.lines() != null
                ? Mono.just(new OrderPlacement.CartSnapshot(-1, request.lines().stream()
                        .map(line -> new OrderPlacement.CartSnapshot.Line(line.sku(), line.quantity()))
                        .toList()))
                : placement.cart(userId);
    }

    /** A buy-now through the flash sales' gate (lines of no sale pass untouched); a cart order needs none. */
    private Mono<RedisStockGate.Admission> admitted(String userId, String admission, Validated valid) {
        if (valid.request().lines() == null) {
            return Mono.just(gate.none());
        }
        return gate.admit(userId, units(valid.request().lines().stream()
                .map(line -> new OrderPlacement.CartSnapshot.Line(line.sku(), line.quantity()))
                .toList()), tokens.admission(admission, userId, Instant.now()).orElse(null));
    }

    /** The outcome; what the gate took stays with a placed order's sale lines and goes back otherwise. */
    private static Mono<Outcome> settled(RedisStockGate.Admission admission, Mono<Outcome> outcome) {
        return outcome
                .onErrorResume(failed -> givenBack(admission, failed).then(Mono.error(failed)))
                .flatMap(done -> done instanceof Placed placed
                        ? admission.keep(placed.fromSales()).thenReturn(done)
                        : admission.giveBack().thenReturn(done));
    }

    /** What the gate took goes back; a sold-out refusal from PostgreSQL also brings the gate down to PostgreSQL's count. */
    private static Mono<Void> givenBack(RedisStockGate.Admission admission, Throwable failed) {
        return failed instanceof SaleRefusal refusal
                ? refusal.soldOut().map(left -> admission.soldOut(left.getKey(), left.getValue())).orElseGet(admission::giveBack)
                : admission.giveBack();
    }

    /** sku to quantity, in line order. */
    private static Map<String, Integer> units(List<OrderPlacement.CartSnapshot.Line> lines) {
        return lines.stream().collect(Collectors.toMap(OrderPlacement.CartSnapshot.Line::sku,
                OrderPlacement.CartSnapshot.Line::quantity, (first, second) -> first, LinkedHashMap::new));
    }

    private record Validated(CheckoutRequest request, UUID savedAddress, String hash) {
    }

    /** A refusal of the request as it stands: a repeat of an earlier request answers what that one did instead. */
    private static boolean refusal(Throwable error) {
        if (error instanceof SaleRefusal sale) {
            // a shopper the gate never admitted cannot be repeating a placed request: answered without PostgreSQL
            return sale.mayBeRepeat();
        }
        return error instanceof Conflict || error instanceof InvalidFields || error instanceof NotFound;
    }

    private Mono<Outcome> replay(String userId, String key, Validated valid) {
        return keys.find(userId, key)
                .map(stored -> {
                    if (!stored.operation().equals(OPERATION) || !stored.requestHash().equals(valid.hash())) {
                        throw keyReused();
                    }
                    return new Replayed(stored.status(), stored.response(), stored.orderId());
                });
    }

    private Mono<Outcome> attempt(String userId, String email, String key, Validated valid, int attempt) {
        CheckoutRequest request = valid.request();
        Mono<ShippingAddress> destination = valid.savedAddress() != null
                ? addresses.saved(userId, valid.savedAddress())
                : addresses.validate(request.address(), "address");
        Mono<OrderPlacement.CartSnapshot> wanted = wanted(userId, request);
        Mono<Outcome> placed = destination.zipWith(wanted)
                .flatMap(found -> priced(found.getT2().lines(), found.getT1().countryCode())
                        .flatMap(priced -> write(new NewOrder(UUID.randomUUID(), userId, email, priced.quote(), found.getT1(),
                                request.lines() == null), priced.catalogVersions(), found.getT2().version(), key, valid)));
        return placed
                .onErrorResume(OrderPlacement::tooFewLeft, tooFew -> this.<Outcome>shortLine(wanted)
                        .switchIfEmpty(Mono.error(new Moved())))
                .onErrorResume(OrderPlacement::saleRefused, refused -> this.<Outcome>saleRefusal(userId, wanted,
                        request.lines() == null))
                .onErrorResume(OrderPlacement::deadlocked, deadlock -> Mono.error(new Moved()))
                .onErrorResume(OrderPlacement::gaveUp, waited -> Mono.error(busy()))
                .onErrorResume(Moved.class, moved -> attempt < ATTEMPTS
                        ? attempt(userId, email, key, valid, attempt + 1)
                        : Mono.error(busy()));
    }

    private record Priced(Quote quote, List<Long> catalogVersions) {
    }

    private Mono<Priced> priced(List<OrderPlacement.CartSnapshot.Line> wanted, String country) {
        if (wanted.isEmpty()) {
            return Mono.error(new Conflict("cart-empty", HttpStatus.CONFLICT, "Cart is empty",
                    "There is nothing in the cart to order", Map.of()));
        }
        if (wanted.size() > limits.maxLines()) {
            return Mono.error(new InvalidFields(List.of(new FieldError("lines",
                    "an order has at most " + limits.maxLines() + " lines"))));
        }
        return products.findAll(wanted.stream().map(OrderPlacement.CartSnapshot.Line::sku).toList())
                .collectMap(CatalogProduct::sku, Function.identity())
                .flatMap(known -> {
                    List<PricedLine> lines = new ArrayList<>();
                    List<Long> versions = new ArrayList<>();
                    for (OrderPlacement.CartSnapshot.Line line : wanted) {
                        CatalogProduct product = known.get(line.sku());
                        if (product == null || !product.onSaleIn(pricing.currency())) {
                            return Mono.error(CatalogProduct.unavailable(line.sku()));
                        }
                        if (line.quantity() > limits.maxQuantityPerLine()) {
                            return Mono.error(new InvalidFields(List.of(new FieldError("lines",
                                    "at most " + limits.maxQuantityPerLine() + " of '" + line.sku() + "' per order"))));
                        }
                        lines.add(PricedLine.of(line.sku(), product.name(), line.quantity(), Money.of(product.price())));
                        versions.add(product.catalogVersion());
                    }
                    return Mono.just(new Priced(pricing.quote(lines, country), versions));
                });
    }

    private Mono<Outcome> write(NewOrder order, List<Long> catalogVersions, long cartVersion, String key, Validated valid) {
        if (!order.quote().total().equals(valid.request().expectedTotal())) {
            return Mono.error(priceChanged(order.quote()));
        }
        UUID id = order.id();
        Instant placedAt = Instant.now();
        OrderView view = OrderView.placed(order, placedAt);
        OrderPlaced placed = new OrderPlaced(id, order.userId(), order.email(), order.lines().stream()
                .map(line -> new OrderLine(line.sku(), line.name(), line.quantity(), line.unitPrice().toEvent(),
                        line.lineTotal().toEvent()))
                .toList(), order.quote().subtotal().toEvent(), order.quote().tax().toEvent(),
                order.quote().shipping().toEvent(), order.quote().total().toEvent());
        PaymentRequested payment = new PaymentRequested(id, order.userId(), 1, order.quote().total().toEvent(),
                valid.request().paymentMethod(), order.shipTo().countryCode());
        return placement.place(new OrderPlacement.Placement(order, catalogVersions, cartVersion, key, valid.hash(),
                        json.writeValueAsString(view), placedAt,
                        List.of(EventEnvelope.of(id.toString(), 1, placed), EventEnvelope.of(id.toString(), 1, payment))))
                .flatMap(result -> {
                    if (result.placed()) {
                        // copies go after the commit; the cart's version check keeps its copy from being served meanwhile
                        return copies.evictList(order.userId())
                                .then(order.fromCart() ? cartCopies.evict(order.userId()) : Mono.empty())
                                .thenReturn(new Placed(view, result.saleSkus()));
                    }
                    if (!result.held()) {
                        return Mono.error(inProgress());
                    }
                    if (!result.stocked()) {
                        // a sku that was never stocked is sold out; stocked meanwhile, it is priced again
                        return this.<Outcome>shortLine(Mono.just(new OrderPlacement.CartSnapshot(cartVersion, order.lines().stream()
                                        .map(line -> new OrderPlacement.CartSnapshot.Line(line.sku(), line.quantity()))
                                        .toList())))
                                .switchIfEmpty(Mono.error(new Moved()));
                    }
                    if (!result.saleOpen()) {
                        return saleRefusal(order.userId(), Mono.just(new OrderPlacement.CartSnapshot(cartVersion,
                                order.lines().stream()
                                        .map(line -> new OrderPlacement.CartSnapshot.Line(line.sku(), line.quantity()))
                                        .toList())), order.fromCart());
                    }
                    if (!result.fresh() || (order.fromCart() && !result.cartTaken())) {
                        // the key may have been taken by an earlier request meanwhile: that one answers
                        return replay(order.userId(), key, valid).switchIfEmpty(Mono.error(new Moved()));
                    }
                    return replay(order.userId(), key, valid)
                            .switchIfEmpty(Mono.error(new IllegalStateException("key " + key + " neither held nor stored")));
                });
    }

    /** The first line with fewer units left than wanted, as the shopper's out-of-stock problem; empty when none is short. */
    private <T> Mono<T> shortLine(Mono<OrderPlacement.CartSnapshot> wanted) {
        return wanted.flatMap(cart -> stock.availability(cart.lines().stream().map(OrderPlacement.CartSnapshot.Line::sku).toList())
                .flatMap(levels -> Mono.justOrEmpty(cart.lines().stream()
                        .filter(line -> levels.get(line.sku()).available() < line.quantity())
                        .findFirst()
                        .map(line -> Availability.outOfStock(line.sku(), levels.get(line.sku()).available())))))
                .flatMap(Mono::error);
    }

    /** Why PostgreSQL refused a flash sale's line, as the shopper's problem; none found (the sale moved): price again. */
    private <T> Mono<T> saleRefusal(String userId, Mono<OrderPlacement.CartSnapshot> wanted, boolean fromCart) {
        return wanted.flatMap(cart -> saleRefusals.<T>explain(userId, units(cart.lines()), fromCart))
                .switchIfEmpty(Mono.error(new Moved()));
    }

    /** The products, the cart or the stock rows moved between pricing and writing: price again. */
    private static final class Moved extends RuntimeException {

        Moved() {
            super("the order's products, cart or stock changed while it was placed", null, false, false);
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

    static Conflict busy() {
        return new Conflict("checkout-busy", HttpStatus.SERVICE_UNAVAILABLE, "Checkout busy",
                "The products, the cart or the stock were too busy to place the order; nothing was ordered, try again",
                Map.of());
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
