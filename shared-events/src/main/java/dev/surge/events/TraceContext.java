package dev.surge.events;

/**
 * The W3C trace context of the operation that produced an event, so a consumer's spans join
 * the producer's trace.
 *
 * @param traceparent the W3C {@code traceparent} value ({@code 00-<trace-id>-<parent-id>-<flags>}),
 *                    or {@code null} when the producer was not tracing
 */
public record TraceContext(String traceparent) {

    /** No trace: the producer was not tracing. */
    public static final TraceContext NONE = new TraceContext(null);
}
