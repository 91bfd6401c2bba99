package dev.surge.order.flashsale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.surge.service.web.InvalidFields;

class FlashSaleFormTests {

    private static final Instant OPENS = Instant.parse("2026-12-24T18:00:00.123456789Z");

    @Test
    void aShopperMayBuyOneUnitUnlessTheSaleSaysOtherwiseAndTheStartIsKeptToTheMillisecond() {
        FlashSaleForm form = new FlashSaleForm(OPENS, 100, null, null, null, null).validated();

        assertThat(form.perShopperLimit()).isEqualTo(1);
        assertThat(form.startsAt()).isEqualTo(Instant.parse("2026-12-24T18:00:00.123Z"));
        assertThat(new FlashSaleForm(OPENS, 100, 100, null, null, null).validated().perShopperLimit()).isEqualTo(100);
    }

    @Test
    void everyBadFieldIsNamedAtOnce() {
        InvalidFields invalid = catchThrowableOfType(InvalidFields.class,
                () -> new FlashSaleForm(null, 0, 0, null, null, Map.of("price", 1, "endsAt", "x")).validated());

        assertThat(invalid.errors()).extracting(InvalidFields.FieldError::field)
                .containsExactly("startsAt", "units", "perShopperLimit", "endsAt", "price");
    }

    @Test
    void theLimitIsAtMostTheSalesUnitsAndUnitsAtMostTenMillion() {
        assertThat(catchThrowableOfType(InvalidFields.class, () -> new FlashSaleForm(OPENS, 5, 6, null, null, null).validated()).errors())
                .extracting(InvalidFields.FieldError::field).containsExactly("perShopperLimit");
        assertThat(catchThrowableOfType(InvalidFields.class, () -> new FlashSaleForm(OPENS, 10_000_001, 1, null, null, null).validated())
                .errors())
                .extracting(InvalidFields.FieldError::field).containsExactly("units");
        assertThat(new FlashSaleForm(OPENS, 10_000_000, 10_000_000, null, null, null).validated().units()).isEqualTo(10_000_000);
    }

    @Test
    void aRepeatedPutIsTheSameSaleAndAnyChangeIsNot() {
        FlashSale sale = new FlashSale("SKU-1", Instant.parse("2026-12-24T18:00:00.123Z"), 100, 0, 2, 50, false, 1, OPENS);

        assertThat(sale.sameAs(new FlashSaleForm(OPENS, 100, 2, null, null, null).validated())).isTrue();
        assertThat(sale.sameAs(new FlashSaleForm(OPENS, 99, 2, null, null, null).validated())).isFalse();
        assertThat(sale.sameAs(new FlashSaleForm(OPENS, 100, null, null, null, null).validated())).isFalse();
        assertThat(sale.sameAs(new FlashSaleForm(OPENS.plusSeconds(1), 100, 2, null, null, null).validated())).isFalse();
        assertThat(sale.sameAs(new FlashSaleForm(OPENS, 100, 2, 50, null, null).validated())).isTrue();
        assertThat(sale.sameAs(new FlashSaleForm(OPENS, 100, 2, 51, null, null).validated())).isFalse();
        assertThat(sale.sameAs(new FlashSaleForm(OPENS, 100, 2, 50, "fixed", null).validated())).isTrue();
        assertThat(sale.sameAs(new FlashSaleForm(OPENS, 100, 2, 50, "adaptive", null).validated())).isFalse();
    }

    @Test
    void theWaitingRoomAdmitsFiftyASecondUnlessTheSaleSaysOtherwiseAndAtMostTenThousand() {
        assertThat(new FlashSaleForm(OPENS, 100, null, null, null, null).validated().adaptive()).isFalse();
        assertThat(new FlashSaleForm(OPENS, 100, null, 200, "adaptive", null).validated().adaptive()).isTrue();
        assertThat(catchThrowableOfType(InvalidFields.class, () -> new FlashSaleForm(OPENS, 100, null, null, "fast", null)
                .validated()).errors())
                .extracting(InvalidFields.FieldError::field).containsExactly("admission");
        assertThat(new FlashSaleForm(OPENS, 100, null, null, null, null).validated().admissionsPerSecond()).isEqualTo(50);
        assertThat(new FlashSaleForm(OPENS, 100, null, 10_000, null, null).validated().admissionsPerSecond()).isEqualTo(10_000);
        assertThat(catchThrowableOfType(InvalidFields.class, () -> new FlashSaleForm(OPENS, 100, null, 0, null, null).validated())
                .errors())
                .extracting(InvalidFields.FieldError::field).containsExactly("admissionsPerSecond");
        assertThat(catchThrowableOfType(InvalidFields.class, () -> new FlashSaleForm(OPENS, 100, null, 10_001, null, null).validated())
                .errors())
                .extracting(InvalidFields.FieldError::field).containsExactly("admissionsPerSecond");
    }
}
