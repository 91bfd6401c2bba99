package dev.surge.order.cart;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.surge.order.product.CatalogProduct;
import dev.surge.order.stock.Availability;

/**
 * How a guest cart joins the server cart at sign-in, decided without side effects so it can be
 * tested line by line. A sku in both keeps the larger quantity, not the sum: a shopper who put the
 * same item in the cart before and after signing in did not mean to buy it twice, and a retried
 * merge of the same guest cart changes nothing the second time. Every line is clamped to what can
 * be ordered; every change from what the guest cart asked is reported.
 */
final class GuestCartMerge {

    /** Why a guest line did not arrive as asked. */
    enum Reason { CLAMPED, UNKNOWN, INACTIVE, SOLD_OUT, INVALID, TOO_MANY_LINES }

    /**
     * One guest line that did not arrive as asked.
     *
     * @param sku the line's sku as sent
     * @param requested the quantity the guest cart asked for
     * @param quantity the quantity the cart now holds of it (0 when not added)
     * @param reason why
     */
    record Adjustment(String sku, Integer requested, int quantity, Reason reason) {
    }

    /**
     * The outcome.
     *
     * @param quantities the new quantity of every sku that changes (added or raised)
     * @param adjustments every guest line that did not arrive as asked
     */
    record Plan(Map<String, Integer> quantities, List<Adjustment> adjustments) {
    }

    private GuestCartMerge() {
    }

    static Plan plan(List<CartRequests.Item> guest, Map<String, Integer> server, Map<String, CatalogProduct> products,
            Map<String, Availability> stock, CartProperties limits) {
        Map<String, Integer> wanted = new LinkedHashMap<>();
        List<Adjustment> adjustments = new ArrayList<>();
        for (CartRequests.Item line : guest) {
            if (!CartRequests.validSku(line.sku()) || line.quantity() == null || line.quantity() < 1) {
                adjustments.add(new Adjustment(line.sku(), line.quantity(), 0, Reason.INVALID));
            }
            else {
                wanted.merge(line.sku(), line.quantity(), Math::max);
            }
        }
        Map<String, Integer> quantities = new LinkedHashMap<>();
        int lines = server.size();
        for (Map.Entry<String, Integer> line : wanted.entrySet()) {
            String sku = line.getKey();
            int requested = line.getValue();
            int held = server.getOrDefault(sku, 0);
            CatalogProduct product = products.get(sku);
            int available = stock.containsKey(sku) ? stock.get(sku).available() : 0;
            int orderable = Math.min(available, limits.maxQuantityPerLine());
            Reason refused = product == null ? Reason.UNKNOWN
                    : !product.active() ? Reason.INACTIVE
                    : available == 0 ? Reason.SOLD_OUT
                    : held == 0 && lines >= limits.maxLines() ? Reason.TOO_MANY_LINES
                    : null;
            if (refused != null) {
                adjustments.add(new Adjustment(sku, requested, held, refused));
                continue;
            }
            int target = Math.min(Math.max(held, requested), Math.max(orderable, held));
            if (target > held) {
                quantities.put(sku, target);
                if (held == 0) {
                    lines++;
                }
            }
            if (target < requested) {
                adjustments.add(new Adjustment(sku, requested, target, Reason.CLAMPED));
            }
        }
        return new Plan(quantities, adjustments);
    }
}
