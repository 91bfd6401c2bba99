package dev.surge.events;

import dev.surge.events.catalog.ProductChanged;
import dev.surge.events.catalog.ProductDeactivated;
import dev.surge.events.fulfilment.OrderAllocated;
import dev.surge.events.fulfilment.OrderDelivered;
import dev.surge.events.fulfilment.OrderShipped;
import dev.surge.events.fulfilment.PaymentFailed;
import dev.surge.events.fulfilment.PaymentRefunded;
import dev.surge.events.fulfilment.PaymentSucceeded;
import dev.surge.events.ops.VitalSigns;
import dev.surge.events.order.ItemAddedToCart;
import dev.surge.events.order.ItemRemovedFromCart;
import dev.surge.events.order.OrderCancelled;
import dev.surge.events.order.OrderPlaced;
import dev.surge.events.order.OrderStatusChanged;
import dev.surge.events.order.PaymentRequested;
import dev.surge.events.order.RefundRequested;
import dev.surge.events.order.StockLevelChanged;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The registry of logical event type names. A name is written here by hand, never derived
 * from a class name, so renaming or moving a Java class never changes what is on the wire.
 * A breaking change to a payload is a new entry with the same name and the next version.
 */
public final class EventTypes {

    /**
     * One registered event type.
     *
     * @param name     logical type name written to the {@link EventCodec#TYPE_HEADER} header and the envelope's {@code type}
     * @param version  payload schema version written to the {@link EventCodec#VERSION_HEADER} header, starting at 1
     * @param javaType the record a payload of this name and version is read into
     * @param topic    the topic the event is published to, one of {@link Topics}
     */
    public record EventType(String name, int version, Class<? extends Event> javaType, String topic) {

        /** Class-path location of the JSON Schema of this type's payload. */
        public String schemaPath() {
            return "schemas/" + topic + "/" + name + ".v" + version + ".json";
        }
    }

    private static final List<EventType> ALL = List.of(
            new EventType("ProductChanged", 1, ProductChanged.class, Topics.CATALOG),
            new EventType("ProductDeactivated", 1, ProductDeactivated.class, Topics.CATALOG),
            new EventType("StockLevelChanged", 1, StockLevelChanged.class, Topics.INVENTORY),
            new EventType("ItemAddedToCart", 1, ItemAddedToCart.class, Topics.CARTS),
            new EventType("ItemRemovedFromCart", 1, ItemRemovedFromCart.class, Topics.CARTS),
            new EventType("OrderPlaced", 1, OrderPlaced.class, Topics.ORDERS),
            new EventType("OrderStatusChanged", 1, OrderStatusChanged.class, Topics.ORDERS),
            new EventType("OrderCancelled", 1, OrderCancelled.class, Topics.ORDERS),
            new EventType("PaymentRequested", 1, PaymentRequested.class, Topics.PAYMENT_REQUESTS),
            new EventType("RefundRequested", 1, RefundRequested.class, Topics.PAYMENT_REQUESTS),
            new EventType("PaymentSucceeded", 1, PaymentSucceeded.class, Topics.PAYMENTS),
            new EventType("PaymentFailed", 1, PaymentFailed.class, Topics.PAYMENTS),
            new EventType("PaymentRefunded", 1, PaymentRefunded.class, Topics.PAYMENTS),
            new EventType("OrderAllocated", 1, OrderAllocated.class, Topics.FULFILMENT),
            new EventType("OrderShipped", 1, OrderShipped.class, Topics.FULFILMENT),
            new EventType("OrderDelivered", 1, OrderDelivered.class, Topics.FULFILMENT),
            new EventType("VitalSigns", 1, VitalSigns.class, Topics.OPS));

    private static final Map<Class<? extends Event>, EventType> BY_CLASS = ALL.stream()
            .collect(Collectors.toUnmodifiableMap(EventType::javaType, Function.identity()));

    private static final Map<String, EventType> BY_NAME_AND_VERSION = ALL.stream()
            .collect(Collectors.toUnmodifiableMap(type -> key(type.name(), type.version()), Function.identity()));

    private EventTypes() {
    }

    /**
     * The registered type of a payload class.
     *
     * @throws IllegalArgumentException if the class is not registered
     */
    public static EventType of(Class<? extends Event> javaType) {
        EventType type = BY_CLASS.get(javaType);
        if (type == null) {
            throw new IllegalArgumentException("event class not registered in EventTypes: " + javaType.getName());
        }
        return type;
    }

    /** The registered type with this logical name and schema version, if any. */
    public static Optional<EventType> byName(String name, int version) {
        return Optional.ofNullable(BY_NAME_AND_VERSION.get(key(name, version)));
    }

    /** Every registered type. */
    public static List<EventType> all() {
        return ALL;
    }

    private static String key(String name, int version) {
        return name + "/v" + version;
    }
}
