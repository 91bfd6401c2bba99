package dev.surge.order.flashsale;

import java.time.Instant;

/**
 * A flash sale of one sku as PostgreSQL holds it: the truth the Redis stock gate is built from.
 *
 * @param sku the product on sale
 * @param startsAt from then on shoppers may buy it ("buy now" only); before, a buy-now is refused
 * @param units units taken out of the sku's stock for the sale
 * @param sold units in orders placed through the sale
 * @param perShopperLimit most units one shopper may buy in the sale
 * @param admissionsPerSecond how many waiting shoppers the waiting room lets in per second (the ceiling when adaptive)
 * @param adaptiveAdmission whether the pace follows what checkout sustains, up to {@code admissionsPerSecond}
 * @param version bumped by every change ops make
 * @param updatedAt when ops or an order last changed it
 */
record FlashSale(String sku, Instant startsAt, int units, int sold, int perShopperLimit, int admissionsPerSecond, boolean adaptiveAdmission, long version,
        Instant updatedAt) {

    int left() {
        return units - sold;
    }

    boolean startedAt(Instant now) {
        return !startsAt.isAfter(now);
    }

    /** Whether ops asked for exactly this sale again: a repeated {@code PUT} changes nothing. */
    boolean sameAs(FlashSaleForm form) {
        return startsAt.equals(form.startsAt()) && units == form.units() && perShopperLimit == form.perShopperLimit()
                && admissionsPerSecond == form.admissionsPerSecond()
                && adaptiveAdmission == form.adaptive();
    }
}
