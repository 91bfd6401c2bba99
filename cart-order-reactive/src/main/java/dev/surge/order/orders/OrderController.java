package dev.surge.order.orders;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.surge.service.web.NotFound;
import dev.surge.service.web.Page;
import dev.surge.service.web.PageRequest;
import reactor.core.publisher.Mono;

/** The shopper's own orders; another shopper's order answers exactly like one that does not exist. */
@RestController
class OrderController {

    private final Orders orders;

    OrderController(Orders orders) {
        this.orders = orders;
    }

    @GetMapping("/api/orders")
    Mono<Page<OrderView>> mine(@AuthenticationPrincipal Jwt token, @RequestParam(required = false) String page,
            @RequestParam(required = false) String size) {
        return Mono.fromCallable(() -> PageRequest.parse(page, size))
                .flatMap(request -> orders.list(token.getSubject(), request));
    }

    @GetMapping("/api/orders/{id}")
    Mono<OrderView> one(@AuthenticationPrincipal Jwt token, @PathVariable String id) {
        return Mono.fromCallable(() -> OrderIds.parse(id))
                .flatMap(orderId -> orders.find(token.getSubject(), orderId))
                .switchIfEmpty(Mono.error(() -> new NotFound("order", id)));
    }
}
