package dev.surge.order.checkout;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;

import dev.surge.order.flashsale.FlashSaleRefusals;
import dev.surge.order.orders.OrderLifecycle;
import dev.surge.order.orders.Orders;
import dev.surge.order.stock.Availability;
import dev.surge.order.stock.StockLedger;
import dev.surge.service.web.Conflict;
import dev.surge.service.web.InvalidFields;
import dev.surge.service.web.InvalidFields.FieldError;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /api/orders/{id}/payment}: pays a {@code PAYMENT_FAILED} order again, with the
 * {@code Idempotency-Key} kept in the same transaction as the retry, like checkout's.
 */
@Service
class RetryPayment {

    private final OrderLifecycle lifecycle;
    private final Orders orders;
    private final IdempotencyRecords keys;
    private final StockLedger stock;
    private final TransactionalOperator transactions;
    private final JsonMapper json;
    private final FlashSaleRefusals saleRefusals;

    RetryPayment(OrderLifecycle lifecycle, Orders orders, IdempotencyRecords keys, StockLedger stock,
            TransactionalOperator transactions, JsonMapper json, FlashSaleRefusals saleRefusals) {
        this.saleRefusals = saleRefusals;
        this.lifecycle = lifecycle;
        this.orders = orders;
        this.keys = keys;
        this.stock = stock;
        this.transactions = transactions;
        this.json = json;
    }

    /**
     * The body.
     *
     * @param paymentMethod the payment method token to charge this time
     */
    record Request(String paymentMethod) {
    }

    Mono<PlaceOrder.Outcome> retry(String userId, UUID orderId, String key, Request request) {
        String operation = "retry-payment:" + orderId;
        return Mono.fromCallable(() -> validated(request))
                .flatMap(method -> retry(userId, orderId, key, operation, method, PlaceOrder.sha256(operation + "\n" + method)));
    }

    /** {@code hash} stands for the request in the idempotency record: the payment token itself is never stored. */
    private Mono<PlaceOrder.Outcome> retry(String userId, UUID orderId, String key, String operation, String method,
            String hash) {
        return Mono.just(method)
                .flatMap(ignored -> transactions.transactional(keys.tryHold(userId, key)
                                .flatMap(held -> held ? keys.find(userId, key) : Mono.error(PlaceOrder.inProgress()))
                                .<PlaceOrder.Outcome>flatMap(stored -> stored.operation().equals(operation)
                                        && stored.requestHash().equals(hash)
                                        ? Mono.just(new PlaceOrder.Replayed(stored.status(), stored.response(), stored.orderId()))
                                        : Mono.error(PlaceOrder.keyReused()))
                                .switchIfEmpty(Mono.defer(() -> lifecycle.retryPayment(userId, orderId, method)
                                        .then(orders.find(userId, orderId))
                                        .flatMap(view -> keys.insert(userId, key, new IdempotencyRecords.Stored(operation,
                                                        hash, orderId, HttpStatus.OK.value(), json.writeValueAsString(view)))
                                                .thenReturn(new PlaceOrder.Placed(view))))))
                        .onErrorResume(OrderLifecycle.StockGone.class, gone -> gone.fromSale()
                                ? saleRefusals.<PlaceOrder.Outcome>explain(userId, Map.of(gone.sku(), gone.quantity()), false)
                                        .switchIfEmpty(Mono.error(PlaceOrder.busy()))
                                : stock.availability(List.of(gone.sku()))
                                        .flatMap(levels -> Mono.<PlaceOrder.Outcome>error(Availability.outOfStock(gone.sku(),
                                                levels.get(gone.sku()).available())))));
    }

    private static String validated(Request request) {
        String method = request == null ? null : request.paymentMethod();
        if (!CheckoutRequest.validPaymentMethod(method)) {
            throw new InvalidFields(List.of(new FieldError("paymentMethod", CheckoutRequest.PAYMENT_METHOD_RULE)));
        }
        return method;
    }
}
