package dev.surge.order.stock;

import java.util.ArrayList;
import java.util.List;

import dev.surge.order.product.Skus;
import dev.surge.service.web.InvalidFields;
import dev.surge.service.web.InvalidFields.FieldError;
import dev.surge.service.web.InvalidParameter;

/**
 * What ops send to set a sku's stock.
 *
 * @param available units on hand that may be sold, 0 to {@value #MAX_UNITS}; required
 * @param lowStockThreshold at or below this many units the product shows as low, 0 to {@value #MAX_UNITS};
 *        absent keeps the current one ({@value #DEFAULT_LOW_STOCK_THRESHOLD} for a sku never set)
 */
record StockForm(Integer available, Integer lowStockThreshold) {

    static final int MAX_UNITS = 10_000_000;
    static final int DEFAULT_LOW_STOCK_THRESHOLD = 5;

    /** This form, or an {@link InvalidFields} naming every bad field. */
    StockForm validated() {
        List<FieldError> errors = new ArrayList<>();
        if (available == null) {
            errors.add(new FieldError("available", "is required"));
        } else if (available < 0 || available > MAX_UNITS) {
            errors.add(new FieldError("available", "must be between 0 and " + MAX_UNITS));
        }
        if (lowStockThreshold != null && (lowStockThreshold < 0 || lowStockThreshold > MAX_UNITS)) {
            errors.add(new FieldError("lowStockThreshold", "must be between 0 and " + MAX_UNITS));
        }
        if (!errors.isEmpty()) {
            throw new InvalidFields(errors);
        }
        return this;
    }

    /** The stock version an {@code If-Match} names ({@code "7"} or {@code 7}), null without one, or a 400 naming it. */
    static Long version(String ifMatch) {
        if (ifMatch == null || ifMatch.isBlank()) {
            return null;
        }
        String value = ifMatch.strip();
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            value = value.substring(1, value.length() - 1);
        }
        if (!value.matches("[0-9]{1,18}")) {
            throw new InvalidParameter("If-Match", "must be the stock's ETag, its version in quotes");
        }
        return Long.parseLong(value);
    }

    /** The sku from the path, or an {@link InvalidParameter} naming it. */
    static String sku(String sku) {
        if (!Skus.valid(sku)) {
            throw new InvalidParameter("sku", Skus.RULE);
        }
        return sku;
    }
}
