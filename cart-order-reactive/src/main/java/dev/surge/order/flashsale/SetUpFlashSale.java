package dev.surge.order.flashsale;

import java.time.Instant;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;

import dev.surge.order.stock.StockLedger;
import dev.surge.service.web.Conflict;
import dev.surge.service.web.NotFound;
import reactor.core.publisher.Mono;

/**
 * Ops set up a flash sale of a sku, or change one that has not started: in one transaction the
 * sale's units come out of the sku's stock (announced like every stock change), the sale is written,
 * and its gate is written to Redis before the commit, so a sale exists in PostgreSQL only with its
 * gate (Redis away: {@code 503}, nothing written). The stock row is locked before the sale's, as
 * checkout locks stock rows before sale rows.
 *
 * <p>A running sale (started, or anything sold) takes only a {@code PUT} of exactly itself (a retry,
 * {@code 200}, nothing changes); any change is {@code 409 …/problems/flash-sale-running}, since its
 * units, limit and start are what shoppers were admitted by and what the gate counts against.
 */
@Service
class SetUpFlashSale {

    static final String REASON = "FLASH_SALE";

    private final R2dbcFlashSaleRepository sales;
    private final StockLedger stock;
    private final RedisStockGate gate;
    private final TransactionalOperator transactions;

    SetUpFlashSale(R2dbcFlashSaleRepository sales, StockLedger stock, RedisStockGate gate, TransactionalOperator transactions) {
        this.sales = sales;
        this.stock = stock;
        this.gate = gate;
        this.transactions = transactions;
    }

    /** The sale as it now is; {@code created} for a new one, {@code changed} when anything was written. */
    record SetUp(FlashSale sale, boolean created, boolean changed) {
    }

    Mono<SetUp> set(String sku, FlashSaleForm form) {
        Mono<SetUp> change = available(sku)
                .flatMap(available -> sales.lock(sku)
                        .flatMap(existing -> change(existing, form, available))
                        .switchIfEmpty(Mono.defer(() -> create(sku, form, available))))
                .flatMap(setUp -> setUp.changed() ? gate.open(setUp.sale()).thenReturn(setUp) : Mono.just(setUp));
        return transactions.transactional(change);
    }

    /** The sku's stock, its row locked; 0 for a known product never stocked. */
    private Mono<Integer> available(String sku) {
        return sales.lockStock(sku)
                .switchIfEmpty(Mono.defer(() -> sales.productKnown(sku)
                        .flatMap(known -> known ? Mono.just(0) : Mono.error(new NotFound("product", sku)))));
    }

    private Mono<SetUp> create(String sku, FlashSaleForm form, int available) {
        if (form.units() > available) {
            return Mono.error(insufficient(sku, available));
        }
        return take(sku, form.units())
                .then(sales.insert(sku, form))
                .map(sale -> new SetUp(sale, true, true));
    }

    private Mono<SetUp> change(FlashSale existing, FlashSaleForm form, int available) {
        if (existing.sameAs(form)) {
            return Mono.just(new SetUp(existing, false, false));
        }
        if (existing.startedAt(Instant.now()) || existing.sold() > 0) {
            return Mono.error(new Conflict("flash-sale-running", HttpStatus.CONFLICT, "Flash sale running",
                    "The flash sale of '" + existing.sku() + "' has started: it can no longer be changed",
                    Map.of("sku", existing.sku(), "startsAt", existing.startsAt().toString(), "units", existing.units(),
                            "perShopperLimit", existing.perShopperLimit())));
        }
        int more = form.units() - existing.units();
        if (more > available) {
            return Mono.error(insufficient(existing.sku(), available + existing.units()));
        }
        Mono<Void> stockChange = more > 0 ? take(existing.sku(), more)
                : more < 0 ? stock.giveBack(existing.sku(), -more, REASON)
                : Mono.empty();
        return stockChange
                .then(sales.update(existing.sku(), form))
                .map(sale -> new SetUp(sale, false, true));
    }

    private Mono<Void> take(String sku, int units) {
        return stock.take(sku, units, REASON)
                .flatMap(taken -> taken ? Mono.<Void>empty()
                        : Mono.error(new IllegalStateException("stock of " + sku + " moved under its lock")));
    }

    private static Conflict insufficient(String sku, int available) {
        return new Conflict("insufficient-stock", HttpStatus.CONFLICT, "Not enough stock",
                "Only " + available + " of '" + sku + "' can go into the flash sale", Map.of("sku", sku, "available", available));
    }
}
