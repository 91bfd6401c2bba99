package dev.surge.events.ops;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One service instance's vital signs at one moment, published about once a second. Figures a service
 * does not have are absent ({@code null}): a gateway has no outbox, only notify holds streams.
 *
 * @param service        the service, e.g. {@code cart-order}
 * @param instance       this process, unique among the running instances
 * @param intervalMillis how often the instance publishes; a reader counts an instance silent after a few of these
 * @param outbox         the instance's outbox: rows waiting for the relay and rows parked (Kafka refuses them);
 *                       every instance of a service reads the same table
 * @param consumerLag    per consumer group of the service, the records on its topics not yet committed
 * @param breakers       the instance's circuit breakers and their states ({@code CLOSED}, {@code OPEN}, ...)
 * @param streams        Server-Sent Event streams open on the instance
 * @param counts         named counts since the instance's previous vital signs, e.g. {@code outOfStockRefusals}
 */
public record VitalSigns(String service, String instance, long intervalMillis, Outbox outbox,
        List<ConsumerLag> consumerLag, List<Breaker> breakers, Integer streams, Map<String, Long> counts)
        implements OpsEvent {

    public VitalSigns {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(instance, "instance");
        if (intervalMillis <= 0) {
            throw new IllegalArgumentException("intervalMillis must be positive: " + intervalMillis);
        }
        consumerLag = consumerLag == null ? List.of() : List.copyOf(consumerLag);
        breakers = breakers == null ? List.of() : List.copyOf(breakers);
        counts = counts == null ? Map.of() : Map.copyOf(counts);
    }

    /**
     * @param backlog rows not yet published and not parked
     * @param parked  rows Kafka refuses, waiting for ops
     */
    public record Outbox(long backlog, long parked) {
    }

    /**
     * @param group the consumer group
     * @param lag   records on the group's partitions after its committed offsets, summed
     */
    public record ConsumerLag(String group, long lag) {

        public ConsumerLag {
            Objects.requireNonNull(group, "group");
        }
    }

    /**
     * @param name  the breaker, e.g. the route it guards
     * @param state its state: {@code CLOSED}, {@code OPEN}, {@code HALF_OPEN}, or another state of the breaker library
     */
    public record Breaker(String name, String state) {

        public Breaker {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(state, "state");
        }
    }
}
