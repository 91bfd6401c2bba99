package dev.surge.order.cart;

import java.util.List;

import dev.surge.order.product.Skus;
import dev.surge.service.web.InvalidFields;
import dev.surge.service.web.InvalidFields.FieldError;
import dev.surge.service.web.InvalidParameter;

/** The bodies the cart API takes, and their checks. */
final class CartRequests {

    private CartRequests() {
    }

    /**
     * Units of a sku to add ({@code POST /api/cart/items}) or a line of a guest cart to merge.
     *
     * @param sku the product
     * @param quantity units, 1 to the per-line limit
     */
    record Item(String sku, Integer quantity) {
    }

    /**
     * A line's new quantity ({@code PATCH /api/cart/items/{sku}}).
     *
     * @param quantity units, 1 to the per-line limit (remove a line with {@code DELETE})
     */
    record Quantity(Integer quantity) {
    }

    /**
     * The guest cart the browser kept, merged at sign-in.
     *
     * @param lines its lines
     */
    record GuestCart(List<Item> lines) {
    }

    /**
     * A guest's price look-up.
     *
     * @param skus the skus in the guest's cart
     */
    record PriceLookup(List<String> skus) {
    }

    static String sku(String sku) {
        if (!Skus.valid(sku)) {
            throw new InvalidParameter("sku", Skus.RULE);
        }
        return sku;
    }

    static void check(Item item, int maxQuantity) {
        if (!Skus.valid(item.sku())) {
            throw new InvalidFields(List.of(new FieldError("sku", Skus.RULE)));
        }
        quantity(item.quantity(), maxQuantity);
    }

    static int quantity(Integer quantity, int maxQuantity) {
        if (quantity == null) {
            throw new InvalidFields(List.of(new FieldError("quantity", "is required")));
        }
        if (quantity < 1 || quantity > maxQuantity) {
            throw new InvalidFields(List.of(new FieldError("quantity", "must be between 1 and " + maxQuantity)));
        }
        return quantity;
    }

    static boolean validSku(String sku) {
        return Skus.valid(sku);
    }
}
