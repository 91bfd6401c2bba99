package dev.surge.order.cart;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.surge.order.stock.StockRefusals;
import dev.surge.service.web.CanonicalUuid;
import reactor.core.publisher.Mono;

/** {@code /api/cart}: only ever the caller's own cart; {@code POST /api/cart/prices} is public, for guests. */
@RestController
class CartController {

    private final ShoppingCart cart;
    private final StockRefusals refusals;

    CartController(ShoppingCart cart, StockRefusals refusals) {
        this.cart = cart;
        this.refusals = refusals;
    }

    @GetMapping("/api/cart")
    Mono<CartView> cart(@AuthenticationPrincipal Jwt token, @RequestParam(required = false) String addressId) {
        return Mono.fromCallable(() -> Optional.ofNullable(addressId).map(id -> CanonicalUuid.required("addressId", id)))
                .flatMap(id -> cart.view(token.getSubject(), id.orElse(null)));
    }

    @PostMapping("/api/cart/items")
    Mono<CartView> add(@AuthenticationPrincipal Jwt token, @RequestBody CartRequests.Item item) {
        return cart.add(token.getSubject(), item).doOnError(refusals::count);
    }

    @PatchMapping("/api/cart/items/{sku}")
    Mono<CartView> change(@AuthenticationPrincipal Jwt token, @PathVariable String sku,
            @RequestBody CartRequests.Quantity quantity) {
        return Mono.fromCallable(() -> CartRequests.sku(sku))
                .flatMap(valid -> cart.change(token.getSubject(), valid, quantity))
                .doOnError(refusals::count);
    }

    @DeleteMapping("/api/cart/items/{sku}")
    Mono<CartView> remove(@AuthenticationPrincipal Jwt token, @PathVariable String sku) {
        return Mono.fromCallable(() -> CartRequests.sku(sku))
                .flatMap(valid -> cart.remove(token.getSubject(), valid));
    }

    @PostMapping("/api/cart/merge")
    Mono<ShoppingCart.MergeOutcome> merge(@AuthenticationPrincipal Jwt token, @RequestBody CartRequests.GuestCart guest) {
        return cart.merge(token.getSubject(), guest);
    }

    @PostMapping("/api/cart/prices")
    Mono<Map<String, List<ShoppingCart.GuestPrice>>> prices(@RequestBody CartRequests.PriceLookup lookup) {
        return cart.prices(lookup)
                .map(items -> Map.of("items", items));
    }

}
