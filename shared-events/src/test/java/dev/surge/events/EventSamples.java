package dev.surge.events;

import dev.surge.events.catalog.CatalogEvent;
import dev.surge.events.catalog.ProductChanged;
import dev.surge.events.catalog.ProductDeactivated;
import dev.surge.events.fulfilment.FulfilmentEvent;
import dev.surge.events.fulfilment.OrderAllocated;
import dev.surge.events.fulfilment.OrderDelivered;
import dev.surge.events.fulfilment.OrderShipped;
import dev.surge.events.fulfilment.PaymentEvent;
import dev.surge.events.fulfilment.PaymentFailed;
import dev.surge.events.fulfilment.PaymentRefunded;
import dev.surge.events.fulfilment.PaymentSucceeded;
import dev.surge.events.order.CartEvent;
import dev.surge.events.order.InventoryEvent;
import dev.surge.events.order.ItemAddedToCart;
import dev.surge.events.order.ItemRemovedFromCart;
import dev.surge.events.order.OrderCancelled;
import dev.surge.events.order.OrderEvent;
import dev.surge.events.order.OrderLine;
import dev.surge.events.order.OrderPlaced;
import dev.surge.events.order.OrderStatusChanged;
import dev.surge.events.order.PaymentRequestEvent;
import dev.surge.events.order.PaymentRequested;
import dev.surge.events.order.RefundRequested;
import dev.surge.events.order.StockLevelChanged;
import dev.surge.events.ops.OpsEvent;
import dev.surge.events.ops.VitalSigns;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/** One realistic payload per registered event type, as a producer would publish it. */
final class EventSamples {

    static final UUID ORDER_ID = UUID.fromString("3f1c2a9e-8b7d-4c5e-9f10-2a3b4c5d6e7f");
    static final String USER_ID = "auth0|65f1a2b3c4d5e6f708091a2b";
    static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    private static final List<Event> ALL = List.of(
            new ProductChanged("SKU-HP-1001", "Aurora Noise-Cancelling Headphones", "Aurora", "audio",
                    eur(19_999), true, Instant.parse("2025-11-20T09:15:30.123456Z"),
                    "/images/SKU-HP-1001.svg", 254),
            new ProductDeactivated("SKU-HP-0999"),
            new StockLevelChanged("SKU-HP-1001", 41, 5, "ORDER_PLACED"),
            new ItemAddedToCart(USER_ID, "SKU-HP-1001", 2, eur(19_999)),
            new ItemRemovedFromCart(USER_ID, "SKU-CB-0042"),
            new OrderPlaced(ORDER_ID, USER_ID, "ada@example.org",
                    List.of(new OrderLine("SKU-HP-1001", "Aurora Noise-Cancelling Headphones", 2, eur(19_999), eur(39_998)),
                            new OrderLine("SKU-CB-0042", "USB-C Cable 2 m", 1, eur(1_299), eur(1_299))),
                    eur(41_297), eur(7_846), eur(495), eur(49_638)),
            new OrderStatusChanged(ORDER_ID, USER_ID, "PENDING_PAYMENT", "PAYMENT_FAILED", "CARD_DECLINED"),
            new OrderCancelled(ORDER_ID, USER_ID, "CUSTOMER_REQUEST"),
            new PaymentRequested(ORDER_ID, USER_ID, 2, eur(49_638), "tok_mastercard", "DE"),
            new RefundRequested(ORDER_ID, 2, eur(49_638), "ORDER_CANCELLED"),
            new PaymentSucceeded(ORDER_ID, 2, "pay_9Kx2mQ71", eur(49_638)),
            new PaymentFailed(ORDER_ID, 1, "CARD_DECLINED", "Do not honor"),
            new PaymentRefunded(ORDER_ID, 2, "re_3Lq8vN20", eur(49_638)),
            new OrderAllocated(ORDER_ID, "BER-1"),
            new OrderShipped(ORDER_ID, "DHL", "JJD000390007734512345"),
            new OrderDelivered(ORDER_ID),
            new VitalSigns("cart-order", "cart-order-7f3a", 1000, new VitalSigns.Outbox(3, 0),
                    List.of(new VitalSigns.ConsumerLag("cart-order.payments", 12)),
                    List.of(new VitalSigns.Breaker("catalog", "CLOSED")), 42, Map.of("outOfStockRefusals", 2L)));

    private static final Map<Class<? extends Event>, Event> BY_TYPE = ALL.stream()
            .collect(Collectors.toUnmodifiableMap(Event::getClass, Function.identity()));

    private EventSamples() {
    }

    static List<Event> all() {
        return ALL;
    }

    static Event of(Class<? extends Event> type) {
        Event sample = BY_TYPE.get(type);
        if (sample == null) {
            throw new AssertionError("no sample for " + type.getSimpleName() + ": add one to EventSamples");
        }
        return sample;
    }

    static String aggregateId(Event event) {
        return switch (event) {
            case CatalogEvent catalog -> catalog.sku();
            case InventoryEvent inventory -> inventory.sku();
            case CartEvent cart -> cart.userId();
            case OrderEvent order -> order.orderId().toString();
            case PaymentRequestEvent request -> request.orderId().toString();
            case PaymentEvent payment -> payment.orderId().toString();
            case FulfilmentEvent fulfilment -> fulfilment.orderId().toString();
            case OpsEvent ops -> ops.instance();
            default -> throw new AssertionError("no topic interface for " + event.getClass());
        };
    }

    static EventEnvelope<Event> envelopeOf(Event event) {
        return EventEnvelope.of(aggregateId(event), 7, event).withTrace(new TraceContext(TRACEPARENT));
    }

    private static Money eur(long cents) {
        return new Money(cents, "EUR");
    }
}
