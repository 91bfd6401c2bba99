package dev.surge.events;

import dev.surge.events.EventTypes.EventType;
import dev.surge.events.catalog.CatalogEvent;
import dev.surge.events.fulfilment.FulfilmentEvent;
import dev.surge.events.fulfilment.PaymentEvent;
import dev.surge.events.order.CartEvent;
import dev.surge.events.ops.OpsEvent;
import dev.surge.events.order.InventoryEvent;
import dev.surge.events.order.OrderEvent;
import dev.surge.events.order.OrderPlaced;
import dev.surge.events.order.PaymentRequestEvent;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventTypesTests {

    private static final Map<Class<? extends Event>, String> TOPIC_INTERFACES = Map.of(
            CatalogEvent.class, Topics.CATALOG,
            InventoryEvent.class, Topics.INVENTORY,
            CartEvent.class, Topics.CARTS,
            OrderEvent.class, Topics.ORDERS,
            PaymentRequestEvent.class, Topics.PAYMENT_REQUESTS,
            PaymentEvent.class, Topics.PAYMENTS,
            FulfilmentEvent.class, Topics.FULFILMENT,
            OpsEvent.class, Topics.OPS);

    @Test
    void hasOneSealedInterfacePerTopic() {
        assertThat(TOPIC_INTERFACES.values()).containsExactlyInAnyOrderElementsOf(Topics.all());
        assertThat(TOPIC_INTERFACES.keySet()).allSatisfy(topicInterface -> assertThat(topicInterface.isSealed()).isTrue());
    }

    @Test
    void registersEveryPermittedSubclassUnderItsInterfacesTopic() {
        TOPIC_INTERFACES.forEach((topicInterface, topic) ->
                Arrays.stream(topicInterface.getPermittedSubclasses()).forEach(subclass ->
                        assertThat(EventTypes.of(subclass.asSubclass(Event.class)).topic())
                                .as(subclass.getSimpleName())
                                .isEqualTo(topic)));
    }

    @Test
    void registersOnlyPermittedSubclassesOfATopicInterface() {
        long permitted = TOPIC_INTERFACES.keySet().stream()
                .mapToLong(topicInterface -> topicInterface.getPermittedSubclasses().length)
                .sum();

        assertThat(EventTypes.all()).hasSize((int) permitted);
        assertThat(EventTypes.all()).allSatisfy(type -> assertThat(TOPIC_INTERFACES.entrySet())
                .anySatisfy(entry -> {
                    assertThat(entry.getKey()).isAssignableFrom(type.javaType());
                    assertThat(entry.getValue()).isEqualTo(type.topic());
                }));
    }

    @Test
    void hasASchemaFileForEveryRegisteredType() {
        assertThat(EventTypes.all()).allSatisfy(type ->
                assertThat(Schemas.exists(type.schemaPath())).as(type.schemaPath()).isTrue());
        assertThat(Schemas.exists(Schemas.ENVELOPE)).isTrue();
    }

    @Test
    void namesEachTypeLogicallyAndUniquely() {
        assertThat(EventTypes.all())
                .extracting(EventType::name)
                .doesNotHaveDuplicates()
                .allSatisfy(name -> assertThat(name).matches("[A-Z][A-Za-z0-9]*"));
        assertThat(EventTypes.all()).allSatisfy(type -> assertThat(type.version()).isPositive());
    }

    @Test
    void findsATypeByNameAndVersion() {
        assertThat(EventTypes.byName("OrderPlaced", 1))
                .hasValueSatisfying(type -> {
                    assertThat(type.javaType()).isEqualTo(OrderPlaced.class);
                    assertThat(type.topic()).isEqualTo(Topics.ORDERS);
                    assertThat(type.schemaPath()).isEqualTo("schemas/shop.orders.v1/OrderPlaced.v1.json");
                });
    }

    @Test
    void findsNothingForAnUnknownNameOrVersion() {
        assertThat(EventTypes.byName("OrderPlaced", 2)).isEmpty();
        assertThat(EventTypes.byName("orderplaced", 1)).isEmpty();
        assertThat(EventTypes.byName(OrderPlaced.class.getName(), 1)).isEmpty();
    }

    @Test
    void rejectsAnUnregisteredEventClass() {
        record Unregistered() implements Event {
        }

        assertThatThrownBy(() -> EventTypes.of(Unregistered.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Unregistered");
    }
}
