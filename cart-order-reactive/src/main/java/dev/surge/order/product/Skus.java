package dev.surge.order.product;

import java.util.regex.Pattern;

/** The sku rule, the same as the catalog's: 3–40 of A–Z, 0–9 and '-'. */
public final class Skus {

    /** What a client is told when a sku breaks the rule. */
    public static final String RULE = "must be 3 to 40 characters of A-Z, 0-9 and -";

    private static final Pattern SKU = Pattern.compile("[A-Z0-9-]{3,40}");

    private Skus() {
    }

    public static boolean valid(String sku) {
        return sku != null && SKU.matcher(sku).matches();
    }
}
