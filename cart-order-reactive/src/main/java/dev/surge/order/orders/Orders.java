package dev.surge.order.orders;

import java.util.UUID;

import dev.surge.service.web.Page;
import dev.surge.service.web.PageRequest;
import reactor.core.publisher.Mono;

/** The orders of shoppers: written by checkout, read by their owners only. */
public interface Orders {

    /** Writes a new {@code PENDING_PAYMENT} order (lines, first payment attempt, timeline); joins the caller's transaction. */
    Mono<OrderView> insert(NewOrder order);

    /** The shopper's order with this id; empty for an unknown id and for another shopper's alike. */
    Mono<OrderView> find(String userId, UUID id);

    /** The shopper's orders, newest first. */
    Mono<Page<OrderView>> list(String userId, PageRequest page);
}
