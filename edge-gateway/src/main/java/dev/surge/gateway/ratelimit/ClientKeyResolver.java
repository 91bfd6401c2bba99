package dev.surge.gateway.ratelimit;

import java.net.InetSocketAddress;

import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

import reactor.core.publisher.Mono;

/**
 * Who a request counts against: the authenticated principal (the bearer token's subject, once the
 * gateway validates tokens), else the client's address. Deliberately never a subject read from an
 * unverified token: anyone could mint a fresh one per request and never run out of tokens. Behind
 * a load balancer, set {@code server.forward-headers-strategy} so the address is the client's.
 */
@Component
class ClientKeyResolver {

    Mono<String> resolve(ServerWebExchange exchange) {
        return exchange.getPrincipal()
                .map(principal -> "user:" + principal.getName())
                .switchIfEmpty(Mono.fromSupplier(() -> "ip:" + address(exchange.getRequest().getRemoteAddress())));
    }

    private static String address(InetSocketAddress remote) {
        if (remote == null) {
            return "unknown";
        }
        return remote.getAddress() != null ? remote.getAddress().getHostAddress() : remote.getHostString();
    }
}
