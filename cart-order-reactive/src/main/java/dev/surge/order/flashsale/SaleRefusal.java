package dev.surge.order.flashsale;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import org.springframework.http.HttpStatus;

import dev.surge.service.web.Conflict;

/**
 * A buy-now the flash sale refuses: sold out, over the shopper's limit, not started yet, or a cart
 * order holding a sale's sku. Problems in the style of {@code …/problems/out-of-stock}: the sku, and
 * what is left or allowed.
 */
public final class SaleRefusal extends Conflict {

    private final boolean mayBeRepeat;

    private SaleRefusal(String type, String title, String detail, Map<String, Object> properties, boolean mayBeRepeat) {
        this(type, HttpStatus.CONFLICT, title, detail, properties, mayBeRepeat);
    }

    /**
     * For a sold-out refusal, the sale's sku and the units it has left as the refusal saw them
     * (PostgreSQL's, when it came from there); empty for every other refusal.
     */
    public Optional<Map.Entry<String, Integer>> soldOut() {
        return type().equals("sold-out")
                ? Optional.of(Map.entry((String) properties().get("sku"), (Integer) properties().get("available")))
                : Optional.empty();
    }

    private SaleRefusal(String type, HttpStatus status, String title, String detail, Map<String, Object> properties,
            boolean mayBeRepeat) {
        super(type, status, title, detail, properties);
        this.mayBeRepeat = mayBeRepeat;
    }

    /**
     * Whether the request may repeat one that was placed, so its {@code Idempotency-Key} is looked up
     * and the first answer replayed: only when the shopper already holds units of the sale. A shopper
     * who holds none (nearly everyone told "sold out") is answered from Redis alone.
     */
    public boolean mayBeRepeat() {
        return mayBeRepeat;
    }

    static SaleRefusal soldOut(String sku, int left, boolean shopperBoughtBefore) {
        return new SaleRefusal("sold-out", "Sold out",
                left == 0 ? "The flash sale of '" + sku + "' is sold out" : "Only " + left + " of '" + sku + "' left in the flash sale",
                Map.of("sku", sku, "available", left), shopperBoughtBefore);
    }

    static SaleRefusal overLimit(String sku, int limit, int bought) {
        return new SaleRefusal("purchase-limit", "Purchase limit reached",
                "A shopper may buy at most " + limit + " of '" + sku + "' in this flash sale; you have " + bought,
                Map.of("sku", sku, "limit", limit, "bought", bought), bought > 0);
    }

    /**
     * Over the limit while a buy of the shopper's is still in flight: still being placed, or cut off
     * on its way (then its units come back to the shopper, {@code StrandedUnits}). Not "purchase limit
     * reached": the shopper may well have no order.
     */
    static SaleRefusal unsettled(String sku, long settledWithinSeconds, int held) {
        return new SaleRefusal("flash-sale-purchase-unsettled", "Earlier purchase not settled yet",
                "Your earlier buy of '" + sku + "' has not finished: it is still being placed, or it was cut off on its way. "
                        + "If it placed an order, the order is in your orders; if not, its units are yours again within "
                        + settledWithinSeconds + " s: try again then",
                Map.of("sku", sku, "held", held, "retryAfter", settledWithinSeconds), true);
    }

    static SaleRefusal notStarted(String sku, Instant startsAt) {
        return new SaleRefusal("flash-sale-not-started", "Flash sale not started",
                "The flash sale of '" + sku + "' opens at " + startsAt, Map.of("sku", sku, "startsAt", startsAt.toString()), false);
    }

    /** A sale's buy-now without the shopper's admission to it (none, another sku's, or one that has lapsed). */
    static SaleRefusal admissionRequired(String sku, boolean shopperBoughtBefore) {
        return new SaleRefusal("flash-sale-admission-required", HttpStatus.FORBIDDEN, "Flash sale: admission required",
                "'" + sku + "' is in a flash sale: take a place in its waiting room (POST /api/flash-sales/" + sku
                        + "/queue) and buy with the admission it gives you, in the " + AdmissionTokens.HEADER + " header",
                Map.of("sku", sku, "waitingRoom", "/api/flash-sales/" + sku + "/queue"), shopperBoughtBefore);
    }

    static SaleRefusal buyNowOnly(String sku) {
        return new SaleRefusal("flash-sale-buy-now-only", "Flash sale: buy now only",
                "'" + sku + "' is in a flash sale and sold through \"buy now\" only; order it on its own, not from the cart",
                Map.of("sku", sku), true);
    }
}
