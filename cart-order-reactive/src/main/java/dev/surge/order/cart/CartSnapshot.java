package dev.surge.order.cart;

import java.util.List;

/**
 * A cart's stored lines as one committed state: what its Redis copy holds.
 *
 * @param version the cart's version when the lines were read (0: the shopper has no cart yet); every
 *        change bumps it in the change's own transaction
 * @param lines the lines at that version, oldest first
 */
record CartSnapshot(long version, List<CartLine> lines) {

    CartSnapshot {
        lines = List.copyOf(lines);
    }
}
