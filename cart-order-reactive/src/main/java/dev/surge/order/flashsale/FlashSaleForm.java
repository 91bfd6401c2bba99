package dev.surge.order.flashsale;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.annotation.JsonAnySetter;

import dev.surge.order.product.Skus;
import dev.surge.service.web.InvalidFields;
import dev.surge.service.web.InvalidFields.FieldError;
import dev.surge.service.web.InvalidParameter;

/**
 * What ops send to set up a flash sale of a sku.
 *
 * @param startsAt when shoppers may start buying (ISO-8601 instant); required, kept to the millisecond
 * @param units units taken out of the sku's stock for the sale, 1 to {@value #MAX_UNITS}; required
 * @param perShopperLimit most units one shopper may buy in the sale, 1 to {@code units}; absent is 1
 * @param admissionsPerSecond how many waiting shoppers the waiting room admits per second, 1 to
 *        {@value #MAX_ADMISSIONS_PER_SECOND}; absent is {@value #DEFAULT_ADMISSIONS_PER_SECOND}; with adaptive admission the ceiling
 * @param admission {@code "fixed"} (absent) admits at {@code admissionsPerSecond}; {@code "adaptive"} steers the pace by
 *        what checkout sustains
 * @param unknown every other field, each one an error (a typo must not set up a sale with a default)
 */
record FlashSaleForm(Instant startsAt, Integer units, Integer perShopperLimit, Integer admissionsPerSecond, String admission,
        @JsonAnySetter Map<String, Object> unknown) {

    static final int MAX_UNITS = 10_000_000;
    static final int MAX_ADMISSIONS_PER_SECOND = 10_000;
    static final int DEFAULT_ADMISSIONS_PER_SECOND = 50;

    /** This form with its defaults filled in, or an {@link InvalidFields} naming every bad field. */
    FlashSaleForm validated() {
        List<FieldError> errors = new ArrayList<>();
        if (startsAt == null) {
            errors.add(new FieldError("startsAt", "is required: when the sale opens, an ISO-8601 instant"));
        }
        if (units == null) {
            errors.add(new FieldError("units", "is required"));
        }
        else if (units < 1 || units > MAX_UNITS) {
            errors.add(new FieldError("units", "must be between 1 and " + MAX_UNITS));
        }
        int limit = perShopperLimit == null ? 1 : perShopperLimit;
        if (limit < 1 || (units != null && units >= 1 && limit > units) || limit > MAX_UNITS) {
            errors.add(new FieldError("perShopperLimit", "must be between 1 and the sale's units"));
        }
        int rate = admissionsPerSecond == null ? DEFAULT_ADMISSIONS_PER_SECOND : admissionsPerSecond;
        if (rate < 1 || rate > MAX_ADMISSIONS_PER_SECOND) {
            errors.add(new FieldError("admissionsPerSecond", "must be between 1 and " + MAX_ADMISSIONS_PER_SECOND));
        }
        String pace = admission == null ? "fixed" : admission;
        if (!pace.equals("fixed") && !pace.equals("adaptive")) {
            errors.add(new FieldError("admission", "must be \"fixed\" or \"adaptive\""));
        }
        if (unknown != null) {
            new TreeMap<>(unknown).keySet().forEach(field -> errors.add(new FieldError(field, "is not a field of a flash sale")));
        }
        if (!errors.isEmpty()) {
            throw new InvalidFields(errors);
        }
        return new FlashSaleForm(startsAt.truncatedTo(ChronoUnit.MILLIS), units, limit, rate, pace, null);
    }

    /** Whether the sale's pace is adaptive; on a validated form. */
    boolean adaptive() {
        return "adaptive".equals(admission);
    }

    /** The sku from the path, or an {@link InvalidParameter} naming it. */
    static String sku(String sku) {
        if (!Skus.valid(sku)) {
            throw new InvalidParameter("sku", Skus.RULE);
        }
        return sku;
    }
}
