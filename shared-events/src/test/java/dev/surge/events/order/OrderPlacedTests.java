package dev.surge.events.order;

import dev.surge.events.Money;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OrderPlacedTests {

    private static final Money PRICE = new Money(1_299, "EUR");
    private static final OrderLine CABLE = new OrderLine("SKU-CB-0042", "USB-C Cable 2 m", 1, PRICE, PRICE);

    @Test
    void keepsAnImmutableCopyOfItsLines() {
        List<OrderLine> lines = new ArrayList<>(List.of(CABLE));

        OrderPlaced placed = placed(lines);
        lines.clear();

        assertThat(placed.lines()).containsExactly(CABLE);
        assertThatThrownBy(() -> placed.lines().add(CABLE)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void rejectsAnOrderWithoutLines() {
        assertThatIllegalArgumentException().isThrownBy(() -> placed(List.of()));
        assertThatNullPointerException().isThrownBy(() -> placed(null));
    }

    @Test
    void rejectsAMissingTotal() {
        assertThatNullPointerException()
                .isThrownBy(() -> new OrderPlaced(UUID.randomUUID(), "user-1", null, List.of(CABLE),
                        PRICE, PRICE, PRICE, null))
                .withMessage("total");
    }

    @Test
    void carriesNoPaymentMethodToken() {
        // every service that follows orders reads shop.orders.v1: the token travels on PaymentRequested only
        assertThat(OrderPlaced.class.getRecordComponents())
                .extracting(component -> component.getName().toLowerCase())
                .noneMatch(name -> name.contains("token"));
    }

    @Test
    void acceptsAShopperWithoutEmail() {
        assertThat(placed(List.of(CABLE)).email()).isNull();
    }

    @Test
    void rejectsALineWithoutUnits() {
        assertThatIllegalArgumentException().isThrownBy(() -> new OrderLine("SKU-CB-0042", "USB-C Cable 2 m", 0, PRICE, PRICE));
    }

    private static OrderPlaced placed(List<OrderLine> lines) {
        return new OrderPlaced(UUID.randomUUID(), "user-1", null, lines, PRICE, PRICE, PRICE, PRICE);
    }
}
