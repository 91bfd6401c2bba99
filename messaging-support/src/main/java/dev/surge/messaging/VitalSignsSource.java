package dev.surge.messaging;

import java.util.List;

import dev.surge.events.ops.VitalSigns;

/**
 * What a service adds to the vital signs messaging-support gathers itself (outbox, consumer lag, counts):
 * declare one as a bean. Called once per vital signs on a timer thread: answer from memory, never block.
 */
public interface VitalSignsSource {

    /** The service's circuit breakers and their states. */
    default List<VitalSigns.Breaker> breakers() {
        return List.of();
    }

    /** The Server-Sent Event streams open on this instance, or {@code null} when it serves none. */
    default Integer streams() {
        return null;
    }
}
