package dev.surge.order.orders;

import java.util.UUID;

import dev.surge.service.web.Page;
import dev.surge.service.web.PageRequest;
import reactor.core.publisher.Mono;

/** The orders of shoppers: written by checkout, read by their owners only. */
public interface Orders {

    /** The shopper's order with this id; empty for an unknown id and for another shopper's alike. */
    Mono<OrderView> find(String userId, UUID id);

    /** The shopper's orders, newest first. */
    Mono<Page<OrderView>> list(String userId, PageRequest page);
}
