package dev.surge.events.ops;

import dev.surge.events.Event;

/**
 * What a service instance says about its own health, published to {@link dev.surge.events.Topics#OPS}
 * and keyed by the instance.
 */
public sealed interface OpsEvent extends Event permits VitalSigns {

    /** The instance the event is about; the record key. */
    String instance();
}
