package dev.surge.order.orders;

import java.util.UUID;

import dev.surge.service.web.InvalidParameter;

/** Order ids in paths: a UUID in canonical form, or a {@code 400} naming {@code id}. */
public final class OrderIds {

    private OrderIds() {
    }

    public static UUID parse(String id) {
        try {
            UUID parsed = UUID.fromString(id);
            if (parsed.toString().equals(id.toLowerCase())) {
                return parsed;
            }
        }
        catch (IllegalArgumentException e) {
            // answered below like any other malformed id
        }
        throw new InvalidParameter("id", "must be a UUID");
    }
}
