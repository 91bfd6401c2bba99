package dev.surge.order.checkout;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonAnySetter;

import dev.surge.order.pricing.Money;
import dev.surge.order.product.Skus;
import dev.surge.service.web.CanonicalUuid;
import dev.surge.service.web.InvalidFields;
import dev.surge.service.web.InvalidFields.FieldError;

/**
 * The body of {@code POST /api/orders}.
 *
 * @param addressId one of the shopper's saved addresses; or
 * @param address a new address (the fields of a saved one), not saved by checkout
 * @param paymentMethod the payment method token (in dev: the simulated provider's test tokens)
 * @param expectedTotal the total the shopper saw and confirmed; another total is a {@code price-changed} problem
 * @param lines "buy now": these lines instead of the cart (which is then left as it is)
 * @param unknown every other field, each one an error
 */
record CheckoutRequest(String addressId, Map<String, Object> address, String paymentMethod, Money expectedTotal,
        List<Line> lines, @JsonAnySetter Map<String, Object> unknown) {

    /** A payment method token as the provider issues them ({@code tok_visa}); the only rule for it, retries included. */
    private static final Pattern PAYMENT_METHOD = Pattern.compile("[A-Za-z0-9_]{3,100}");

    static final String PAYMENT_METHOD_RULE = "must be a payment method token: 3 to 100 letters, digits or _";

    static boolean validPaymentMethod(String method) {
        return method != null && PAYMENT_METHOD.matcher(method).matches();
    }

    /**
     * One "buy now" line.
     *
     * @param sku the product
     * @param quantity units
     */
    record Line(String sku, Integer quantity) {
    }

    /** Every bad field at once, or the saved address id this request names (null when it brings a new one). */
    UUID validated(int maxLines, int maxQuantity) {
        return validated(maxLines, maxQuantity, true);
    }

    /**
     * The same for a quote ({@code POST /api/orders/quote}): the address and the lines (or the cart),
     * no payment method or confirmed total yet.
     */
    UUID validatedForQuote(int maxLines, int maxQuantity) {
        return validated(maxLines, maxQuantity, false);
    }

    private UUID validated(int maxLines, int maxQuantity, boolean order) {
        List<FieldError> errors = new ArrayList<>();
        UUID savedAddress = null;
        if ((addressId == null) == (address == null)) {
            errors.add(new FieldError("addressId", "give either addressId or address"));
        }
        else if (addressId != null) {
            savedAddress = CanonicalUuid.parse(addressId).orElse(null);
            if (savedAddress == null) {
                errors.add(new FieldError("addressId", "must be a UUID"));
            }
        }
        if (order && !validPaymentMethod(paymentMethod)) {
            errors.add(new FieldError("paymentMethod", PAYMENT_METHOD_RULE));
        }
        if (order && expectedTotal == null) {
            errors.add(new FieldError("expectedTotal", "is required: the total the shopper confirmed"));
        }
        if (lines != null) {
            checkLines(maxLines, maxQuantity, errors);
        }
        if (unknown != null) {
            new TreeMap<>(unknown).keySet().forEach(field -> errors.add(new FieldError(field, "is not a field of an order")));
        }
        if (!errors.isEmpty()) {
            throw new InvalidFields(errors);
        }
        return savedAddress;
    }

    private void checkLines(int maxLines, int maxQuantity, List<FieldError> errors) {
        if (lines.isEmpty() || lines.size() > maxLines) {
            errors.add(new FieldError("lines", "must hold 1 to " + maxLines + " lines"));
            return;
        }
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Line line = lines.get(i);
            if (line == null || !Skus.valid(line.sku())) {
                errors.add(new FieldError("lines[" + i + "].sku", Skus.RULE));
            }
            else if (seen.contains(line.sku())) {
                errors.add(new FieldError("lines[" + i + "].sku", "appears twice: give one line per product"));
            }
            else {
                seen.add(line.sku());
            }
            if (line == null || line.quantity() == null || line.quantity() < 1 || line.quantity() > maxQuantity) {
                errors.add(new FieldError("lines[" + i + "].quantity", "must be between 1 and " + maxQuantity));
            }
        }
    }

}
