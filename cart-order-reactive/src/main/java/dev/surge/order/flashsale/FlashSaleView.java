package dev.surge.order.flashsale;

import java.time.Instant;

/**
 * A flash sale as ops see it, live: PostgreSQL's counts, and what the gate in Redis would still admit.
 *
 * @param sku the product on sale
 * @param startsAt when it opens
 * @param units units set aside for it
 * @param left units PostgreSQL can still sell ({@code units - sold})
 * @param sold units in placed orders
 * @param perShopperLimit most units per shopper
 * @param buyers shoppers holding units of it
 * @param status {@code SCHEDULED}, {@code RUNNING} or {@code SOLD_OUT}
 * @param gateLeft units the Redis gate would still admit; below {@code left} while admitted buyers' orders
 *        are being written; null when Redis holds no gate for it (rebuilt at the next buy-now) or is away
 * @param admissionsPerSecond the waiting room's pace
 * @param waiting shoppers in the waiting room still waiting for their turn; null when Redis did not answer
 * @param admitted admissions handed out and neither used nor lapsed; null when Redis did not answer
 * @param admission {@code fixed} or {@code adaptive}
 * @param pace the waiting room's pace now, admissions per second (below the ceiling while adaptive
 *        admission holds it back); null when Redis did not answer
 * @param version bumped by every change ops make
 * @param updatedAt when ops or an order last changed it
 */
record FlashSaleView(String sku, Instant startsAt, int units, int left, int sold, int perShopperLimit, long buyers,
        String status, Integer gateLeft, int admissionsPerSecond, Long waiting, Integer admitted, String admission, Integer pace, long version, Instant updatedAt) {

    static FlashSaleView of(FlashSale sale, long buyers, Integer gateLeft, RoomState room, Instant now) {
        String status = status(sale, now);
        return new FlashSaleView(sale.sku(), sale.startsAt(), sale.units(), sale.left(), sale.sold(), sale.perShopperLimit(),
                buyers, status, gateLeft, sale.admissionsPerSecond(), room == null ? null : room.waiting(),
                room == null ? null : room.admitted(), sale.adaptiveAdmission() ? "adaptive" : "fixed",
                room == null ? null : room.rate(), sale.version(), sale.updatedAt());
    }

    /** {@code SOLD_OUT} once PostgreSQL has sold every unit, else {@code RUNNING} from its start on, else {@code SCHEDULED}. */
    static String status(FlashSale sale, Instant now) {
        return sale.left() == 0 ? "SOLD_OUT" : sale.startedAt(now) ? "RUNNING" : "SCHEDULED";
    }
}
