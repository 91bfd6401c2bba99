package dev.surge.order.orders;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

import dev.surge.events.Event;
import dev.surge.events.EventEnvelope;
import dev.surge.events.order.OrderCancelled;
import dev.surge.events.order.OrderStatusChanged;
import dev.surge.events.order.PaymentRequested;
import dev.surge.events.order.RefundRequested;
import dev.surge.messaging.Outbox;
import dev.surge.order.flashsale.SaleUnits;
import dev.surge.order.stock.StockLedger;
import dev.surge.service.web.Conflict;
import dev.surge.service.web.NotFound;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Every status change of an order after checkout, each in the caller's transaction, each asking
 * {@link OrderStatus} first: the order row is locked, its status and version change together, the
 * change joins the timeline, and its event goes to the outbox ({@code OrderCancelled} for a cancel,
 * {@code OrderStatusChanged} for the rest). Stock follows the status: given back when an order
 * stops holding it (payment failed, timed out, cancelled), taken again when a retry makes it hold it.
 * The order row is always locked before stock rows, and stock rows in sku order, as checkout does.
 * Units that came from a flash sale go back to (and come again from) the sale, after the stock rows.
 */
@Service
public class OrderLifecycle {

    private static final Logger log = LoggerFactory.getLogger(OrderLifecycle.class);

    private final R2dbcOrderLifecycleRepository orders;
    private final StockLedger stock;
    private final Outbox outbox;
    private final OrderCopies copies;
    private final SaleUnits saleUnits;

    OrderLifecycle(R2dbcOrderLifecycleRepository orders, StockLedger stock, Outbox outbox, OrderCopies copies,
            SaleUnits saleUnits) {
        this.saleUnits = saleUnits;
        this.orders = orders;
        this.stock = stock;
        this.outbox = outbox;
        this.copies = copies;
    }

    /** A charge succeeded: confirms the order if it is for its current attempt while it waits for one; else asks for a refund. */
    Mono<Void> paymentSucceeded(UUID id, int attempt, String paymentId) {
        return locked(id, null)
                .flatMap(order -> orders.attemptStatus(id, attempt)
                        // a success after the order gave up waiting (TIMED_OUT), or after the provider first said it
                        // failed, still charged the shopper: refunded below. One already counted as a success is not.
                        .filter(status -> status.equals("REQUESTED") || status.equals("TIMED_OUT") || status.equals("FAILED"))
                        .flatMap(undecided -> order.status() == OrderStatus.PENDING_PAYMENT && attempt == order.paymentAttempt()
                                ? orders.decideAttempt(id, attempt, "SUCCEEDED", paymentId, null)
                                        .then(move(order, OrderStatus.CONFIRMED, null))
                                        .then(catchUp(order.movedTo(OrderStatus.CONFIRMED)))
                                : orders.decideAttempt(id, attempt, "SUCCEEDED", paymentId, null)
                                        .then(requestRefund(order, attempt, order.status() == OrderStatus.PENDING_PAYMENT
                                                || attempt != order.paymentAttempt() ? "ATTEMPT_SUPERSEDED" : "ORDER_NOT_PAYABLE"))));
    }

    /** A charge failed: the order fails payment and gives its stock back, if the failure is its current attempt's. */
    Mono<Void> paymentFailed(UUID id, int attempt, String reasonCode) {
        return locked(id, null)
                .flatMap(order -> orders.attemptStatus(id, attempt)
                        .filter("REQUESTED"::equals)
                        .flatMap(requested -> orders.decideAttempt(id, attempt, "FAILED", null, reasonCode)
                                .then(order.status() == OrderStatus.PENDING_PAYMENT && attempt == order.paymentAttempt()
                                        ? move(order, OrderStatus.PAYMENT_FAILED, reasonCode)
                                        : Mono.empty())));
    }

    /** A refund was paid out; the order's status does not change (its payment attempts do). */
    Mono<Void> refunded(UUID id, int attempt) {
        return orders.decideAttempt(id, attempt, "REFUNDED", null, null)
                .then(orders.owner(id))
                .flatMap(userId -> copies.evictAfterCommit(userId, id));
    }

    /**
     * Fulfilment progress. It is kept whatever the order's status, and the order takes the steps up to
     * it (one status change each) as far as it can now: a report that overtook the payment success is
     * taken once that success confirms the order, and a cancelled or failed order does not move.
     * Stale or repeated news changes nothing.
     */
    Mono<Void> fulfilled(UUID id, OrderStatus reached) {
        return locked(id, null)
                .filter(order -> reached.isFurtherThan(order.fulfilment()))
                .flatMap(order -> orders.recordFulfilment(id, reached)
                        .then(catchUp(order.reported(reached))));
    }

    /** The shopper cancels: allowed before shipping; a cancelled order stays cancelled (a repeat changes nothing). */
    Mono<Void> cancel(String userId, UUID id) {
        return locked(id, userId)
                .switchIfEmpty(Mono.error(() -> new NotFound("order", id.toString())))
                .flatMap(order -> {
                    if (order.status() == OrderStatus.CANCELLED) {
                        return Mono.empty();
                    }
                    if (!order.status().canMoveTo(OrderStatus.CANCELLED)) {
                        return Mono.error(new Conflict("order-not-cancellable", HttpStatus.CONFLICT, "Order cannot be cancelled",
                                "An order that is " + order.status() + " can no longer be cancelled", Map.of("status", order.status())));
                    }
                    return move(order, OrderStatus.CANCELLED, "CUSTOMER_REQUEST")
                            .thenMany(orders.chargedAttempts(id))
                            .concatMap(charged -> requestRefund(order, charged, "ORDER_CANCELLED"))
                            .then();
                });
    }

    /**
     * The shopper pays a failed order again, maybe with another method: the stock is taken again and
     * attempt n+1 is requested, with the delivery country as checkout's request has it (the attempt
     * that pays decides fulfilment's warehouse).
     */
    public Mono<Void> retryPayment(String userId, UUID id, String paymentMethod) {
        return locked(id, userId)
                .switchIfEmpty(Mono.error(() -> new NotFound("order", id.toString())))
                .flatMap(order -> order.status() != OrderStatus.PAYMENT_FAILED
                        ? Mono.error(new Conflict("order-not-payable", HttpStatus.CONFLICT, "Order is not awaiting a payment retry",
                                "Only an order whose payment failed can be paid again; this one is " + order.status(),
                                Map.of("status", order.status())))
                        : orders.nextAttempt(order)
                                .flatMap(attempt -> move(order, OrderStatus.PENDING_PAYMENT, "PAYMENT_RETRY")
                                        .then(orders.nextRequestSequence(id))
                                        .flatMap(sequence -> outbox.append(EventEnvelope.of(id.toString(), sequence,
                                                new PaymentRequested(id, order.userId(), attempt, order.total().toEvent(),
                                                        paymentMethod, order.shipToCountry()))))));
    }

    /**
     * Fails one order whose payment outcome did not arrive in time; nothing when an outcome or a retry
     * came first, or another instance holds it. Run it in a transaction of its own.
     */
    Mono<Void> expire(UUID id, Duration timeout) {
        return orders.lockIfOverdue(id, timeout.toMillis() / 1000.0)
                .flatMap(overdue -> locked(id, null))
                .flatMap(order -> orders.decideAttempt(id, order.paymentAttempt(), "TIMED_OUT", null, "PAYMENT_TIMEOUT")
                        .then(move(order, OrderStatus.PAYMENT_FAILED, "PAYMENT_TIMEOUT")));
    }

    /** Up to {@code limit} orders past their payment timeout, oldest first; nothing is locked. */
    Mono<List<UUID>> overdue(Duration timeout, int limit) {
        return orders.overdue(timeout.toMillis() / 1000.0, limit)
                .collectList();
    }

    /**
     * The order, locked; once the transaction commits its Redis copies (and its shopper's list) are
     * dropped, whatever the caller changed of it: status, payment attempts, refunds.
     */
    private Mono<LockedOrder> locked(UUID id, String userIdOrNull) {
        return orders.lock(id, userIdOrNull)
                .flatMap(order -> copies.evictAfterCommit(order.userId(), order.id()).thenReturn(order));
    }

    /** Takes the order, step by step, as far as the fulfilment progress it knows and its status allow. */
    private Mono<Void> catchUp(LockedOrder order) {
        return Mono.justOrEmpty(order.status().stepTowards(order.fulfilment()))
                .flatMap(next -> move(order, next, null)
                        .then(Mono.defer(() -> catchUp(order.movedTo(next)))));
    }

    private Mono<Void> move(LockedOrder order, OrderStatus to, String reason) {
        if (!order.status().canMoveTo(to)) {
            return Mono.error(new IllegalStateException(order.status() + " cannot move to " + to));
        }
        Event event = to == OrderStatus.CANCELLED
                ? new OrderCancelled(order.id(), order.userId(), reason)
                : new OrderStatusChanged(order.id(), order.userId(), order.status().name(), to.name(), reason);
        // stock follows the status: the order locked first, then its stock rows in sku order
        Mono<Void> stockChange = order.status().holdsStock() && !to.holdsStock()
                ? Flux.fromIterable(order.lines())
                        .concatMap(line -> line.fromSale()
                                ? saleUnits.giveBack(line.sku(), order.userId(), line.quantity())
                                : stock.giveBack(line.sku(), line.quantity(), stockReason(to, reason)))
                        .then()
                : !order.status().holdsStock() && to.holdsStock()
                        ? takeAgain(order)
                        : Mono.empty();
        return orders.move(order, to, reason)
                .flatMap(version -> outbox.append(EventEnvelope.of(order.id().toString(), version, event)))
                .then(stockChange);
    }

    private static String stockReason(OrderStatus to, String reason) {
        if (to == OrderStatus.CANCELLED) {
            return "ORDER_CANCELLED";
        }
        return "PAYMENT_TIMEOUT".equals(reason) ? "PAYMENT_TIMEOUT" : "PAYMENT_FAILED";
    }

    private Mono<Void> takeAgain(LockedOrder order) {
        return Flux.fromIterable(order.lines())
                .concatMap(line -> (line.fromSale()
                                ? saleUnits.take(line.sku(), order.userId(), line.quantity())
                                : stock.take(line.sku(), line.quantity(), "PAYMENT_RETRY"))
                        .flatMap(taken -> taken ? Mono.<Void>empty()
                                : Mono.error(new StockGone(line.sku(), line.quantity(), line.fromSale()))))
                .then();
    }

    private Mono<Void> requestRefund(LockedOrder order, int attempt, String reason) {
        log.info("Order {} attempt {} was charged but is not wanted ({}); asking for a refund", order.id(), attempt, reason);
        // the payment-requests topic has the order's own request sequence, so no two of its events share a version
        return orders.decideAttempt(order.id(), attempt, "REFUND_REQUESTED", null, null)
                .then(orders.nextRequestSequence(order.id()))
                .flatMap(sequence -> outbox.append(EventEnvelope.of(order.id().toString(), sequence,
                        new RefundRequested(order.id(), attempt, order.total().toEvent(), reason))));
    }

    /** Too few units are left to take an order's stock again; the caller's transaction rolls back. */
    public static final class StockGone extends RuntimeException {

        private final String sku;
        private final int quantity;
        private final boolean fromSale;

        StockGone(String sku, int quantity, boolean fromSale) {
            super("too few units of " + sku, null, false, false);
            this.sku = sku;
            this.quantity = quantity;
            this.fromSale = fromSale;
        }

        public String sku() {
            return sku;
        }

        /** The units the order wanted back. */
        public int quantity() {
            return quantity;
        }

        /** Whether they were to come from the sku's flash sale (sold out, or the shopper at the limit) rather than its stock. */
        public boolean fromSale() {
            return fromSale;
        }
    }
}
