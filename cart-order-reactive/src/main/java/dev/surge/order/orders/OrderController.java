package dev.surge.order.orders;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.transaction.reactive.TransactionalOperator;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.surge.service.web.CanonicalUuid;
import dev.surge.service.web.NotFound;
import dev.surge.service.web.Page;
import dev.surge.service.web.PageRequest;
import reactor.core.publisher.Mono;

/**
 * The shopper's own orders, read through their short-lived Redis copies; another shopper's order
 * answers exactly like one that does not exist.
 */
@RestController
class OrderController {

    private final Orders orders;
    private final OrderLifecycle lifecycle;
    private final TransactionalOperator transactions;
    private final OrderCopies copies;

    OrderController(Orders orders, OrderLifecycle lifecycle, TransactionalOperator transactions, OrderCopies copies) {
        this.orders = orders;
        this.lifecycle = lifecycle;
        this.transactions = transactions;
        this.copies = copies;
    }

    /** Cancels before shipping: stock back, a refund asked for when it was paid; a repeat answers the cancelled order. */
    @PostMapping("/api/orders/{id}/cancel")
    Mono<OrderView> cancel(@AuthenticationPrincipal Jwt token, @PathVariable String id) {
        return Mono.fromCallable(() -> CanonicalUuid.required("id", id))
                .flatMap(orderId -> transactions.transactional(lifecycle.cancel(token.getSubject(), orderId))
                        .then(orders.find(token.getSubject(), orderId)));
    }

    @GetMapping("/api/orders")
    Mono<Page<OrderView>> mine(@AuthenticationPrincipal Jwt token, @RequestParam(required = false) String page,
            @RequestParam(required = false) String size) {
        return Mono.fromCallable(() -> PageRequest.parse(page, size))
                .flatMap(request -> copies.page(token.getSubject(), request, () -> orders.list(token.getSubject(), request)));
    }

    @GetMapping("/api/orders/{id}")
    Mono<OrderView> one(@AuthenticationPrincipal Jwt token, @PathVariable String id) {
        return Mono.fromCallable(() -> CanonicalUuid.required("id", id))
                .flatMap(orderId -> copies.one(token.getSubject(), orderId, () -> orders.find(token.getSubject(), orderId)))
                .switchIfEmpty(Mono.error(() -> new NotFound("order", id)));
    }
}
