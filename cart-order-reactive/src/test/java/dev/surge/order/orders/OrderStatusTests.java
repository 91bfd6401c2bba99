package dev.surge.order.orders;

import static dev.surge.order.orders.OrderStatus.ALLOCATED;
import static dev.surge.order.orders.OrderStatus.CANCELLED;
import static dev.surge.order.orders.OrderStatus.CONFIRMED;
import static dev.surge.order.orders.OrderStatus.DELIVERED;
import static dev.surge.order.orders.OrderStatus.PAYMENT_FAILED;
import static dev.surge.order.orders.OrderStatus.PENDING_PAYMENT;
import static dev.surge.order.orders.OrderStatus.SHIPPED;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class OrderStatusTests {

    private static final Set<List<OrderStatus>> ALLOWED = Set.of(
            List.of(PENDING_PAYMENT, CONFIRMED), List.of(PENDING_PAYMENT, PAYMENT_FAILED), List.of(PENDING_PAYMENT, CANCELLED),
            List.of(CONFIRMED, ALLOCATED), List.of(CONFIRMED, CANCELLED),
            List.of(ALLOCATED, SHIPPED), List.of(ALLOCATED, CANCELLED),
            List.of(SHIPPED, DELIVERED),
            List.of(PAYMENT_FAILED, PENDING_PAYMENT), List.of(PAYMENT_FAILED, CANCELLED));

    @Test
    void allowsExactlyTheMovesOfTheLifecycle() {
        Set<List<OrderStatus>> allowed = new HashSet<>();
        for (OrderStatus from : OrderStatus.values()) {
            for (OrderStatus to : OrderStatus.values()) {
                if (from.canMoveTo(to)) {
                    allowed.add(List.of(from, to));
                }
            }
        }
        assertThat(allowed).isEqualTo(ALLOWED);
    }

    @Test
    void nothingMovesOnceShippedExceptDelivery() {
        assertThat(SHIPPED.canMoveTo(CANCELLED)).isFalse();
        assertThat(DELIVERED.isFinal()).isTrue();
        assertThat(CANCELLED.isFinal()).isTrue();
        assertThat(PAYMENT_FAILED.isFinal()).isFalse();
    }

    @Test
    void stockIsHeldUnlessPaymentFailedOrCancelled() {
        assertThat(OrderStatus.values())
                .filteredOn(status -> !status.holdsStock())
                .containsExactlyInAnyOrder(PAYMENT_FAILED, CANCELLED);
    }

    @Test
    void fulfilmentProgressIsTakenOneLifecycleStepAtATimeFromConfirmedOn() {
        assertThat(CONFIRMED.stepTowards(DELIVERED)).contains(ALLOCATED);
        assertThat(ALLOCATED.stepTowards(DELIVERED)).contains(SHIPPED);
        assertThat(SHIPPED.stepTowards(DELIVERED)).contains(DELIVERED);
        assertThat(CONFIRMED.stepTowards(ALLOCATED)).contains(ALLOCATED);
        assertThat(DELIVERED.stepTowards(DELIVERED)).isEmpty();
        assertThat(SHIPPED.stepTowards(ALLOCATED)).isEmpty();
        assertThat(CONFIRMED.stepTowards(null)).isEmpty();
        assertThat(List.of(PENDING_PAYMENT, PAYMENT_FAILED, CANCELLED))
                .allSatisfy(off -> assertThat(off.stepTowards(DELIVERED)).isEmpty());
        for (OrderStatus from : OrderStatus.values()) {
            for (OrderStatus reported : List.of(ALLOCATED, SHIPPED, DELIVERED)) {
                from.stepTowards(reported).ifPresent(next -> assertThat(from.canMoveTo(next)).as(from + " -> " + next).isTrue());
            }
        }
    }

    @Test
    void onlyProgressPastWhatIsKnownCounts() {
        assertThat(ALLOCATED.isFurtherThan(null)).isTrue();
        assertThat(SHIPPED.isFurtherThan(ALLOCATED)).isTrue();
        assertThat(DELIVERED.isFurtherThan(SHIPPED)).isTrue();
        assertThat(ALLOCATED.isFurtherThan(ALLOCATED)).isFalse();
        assertThat(ALLOCATED.isFurtherThan(DELIVERED)).isFalse();
    }
}
