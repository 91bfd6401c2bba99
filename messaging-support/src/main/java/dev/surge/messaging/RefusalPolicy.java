package dev.surge.messaging;

import java.util.List;

import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;

/**
 * Tells a send failure that no retry can cure (the broker refuses this record, whatever the
 * moment) from one that may pass later (a timeout, a leader election, a broker that is away).
 *
 * <p>Only refusals of one record or one topic count as permanent: a cluster-wide refusal such as a
 * missing idempotent-write permission hits every row alike, and parking every row would only
 * move the outage into ops' hands. Those, and anything unknown, are retried.
 */
final class RefusalPolicy {

    private static final List<Class<? extends Throwable>> PERMANENT = List.of(
            RecordTooLargeException.class,
            RecordBatchTooLargeException.class,
            InvalidRecordException.class,
            InvalidTopicException.class,
            TopicAuthorizationException.class,
            SerializationException.class);

    private RefusalPolicy() {
    }

    /** Whether the failure, or anything that caused it, is a refusal no retry can cure. */
    static boolean permanent(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            Throwable current = cause;
            if (PERMANENT.stream().anyMatch(type -> type.isInstance(current))) {
                return true;
            }
        }
        return false;
    }

    /** A short reason for ops: the innermost Kafka exception's type and message. */
    static String reason(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String reason = root.getClass().getSimpleName() + ": " + root.getMessage();
        return reason.length() > 1000 ? reason.substring(0, 1000) : reason;
    }
}
