package dev.surge.order.flashsale;

import java.time.Instant;

/**
 * A sale's waiting room as one tick of the admission clock left it.
 *
 * @param sku the sale's sku
 * @param status where the sale stands for the waiting
 * @param seq places handed out so far (the newest place's number)
 * @param head places admitted so far: a shopper with place {@code n} is admitted once {@code head >= n}
 * @param left units the stock gate still holds
 * @param admitted admissions handed out and neither used nor lapsed
 * @param rate admissions per second
 * @param startsAt when the sale opens
 */
record RoomState(String sku, Status status, long seq, long head, int left, int admitted, int rate, Instant startsAt) {

    enum Status {
        /** Places are taken and kept; admissions begin at the start. */
        NOT_STARTED,
        /** Admitting at the sale's pace. */
        OPEN,
        /** Every unit is taken: nobody waiting can buy. */
        SOLD_OUT,
        /** Redis cannot be asked: nobody is admitted until it answers again. */
        PAUSED
    }

    static RoomState paused(String sku) {
        return new RoomState(sku, Status.PAUSED, 0, 0, 0, 0, 0, null);
    }

    /** Shoppers still waiting for their turn. */
    long waiting() {
        return Math.max(0, seq - head);
    }

    /** The place's position in the queue, 1 for the next one in. */
    long position(long place) {
        return place - head;
    }

    /** Seconds until a place's turn at the sale's pace (a rough figure: lapsed admissions speed it up). */
    long estimatedWaitSeconds(long place) {
        long startIn = status == Status.NOT_STARTED && startsAt != null
                ? Math.max(0, startsAt.getEpochSecond() - Instant.now().getEpochSecond())
                : 0;
        return startIn + (rate <= 0 ? 0 : (position(place) + rate - 1) / rate);
    }
}
