package dev.surge.messaging;

import java.time.Duration;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Kafka and outbox settings shared by every service ({@code surge.messaging.*}).
 *
 * @param bootstrapServers Kafka bootstrap servers, {@code host:port[,host:port]}
 * @param namespace prefix put before every topic and consumer group ({@code <namespace>.shop.orders.v1});
 *        empty in production, one per test class so tests never read each other's events
 * @param sendTimeout how long a publish may wait for the broker's acknowledgement before failing
 * @param healthTimeout how long the readiness check waits for the broker to describe its cluster
 * @param receiver how consumers retry and give up
 * @param relay how the outbox relay polls
 * @param inbox how long handled event ids are kept
 * @param topics how the event topics and their dead-letter topics are created at start
 * @param deadLetters how ops re-drive dead letters through the {@code deadletters} actuator endpoint
 */
@Validated
@ConfigurationProperties("surge.messaging")
public record MessagingProperties(
        @DefaultValue("127.0.0.1:9092") @NotBlank String bootstrapServers,
        @DefaultValue("") String namespace,
        @DefaultValue("10s") @NotNull Duration sendTimeout,
        @DefaultValue("2s") @NotNull Duration healthTimeout,
        @DefaultValue @Valid Receiver receiver,
        @DefaultValue @Valid Relay relay,
        @DefaultValue @Valid InboxCleanup inbox,
        @DefaultValue @Valid TopicSettings topics,
        @DefaultValue @Valid DeadLetters deadLetters) {

    /**
     * Consumer behaviour.
     *
     * @param maxAttempts how many times a handler runs for one event before the event goes to
     *        {@code <topic>.dlt}; the partition then moves on
     * @param handlerTimeout how long one attempt may take; a handler that never completes counts as
     *        failed, so a hung effect cannot hold its partition forever
     * @param initialBackoff wait before the second attempt; doubles each time
     * @param maxBackoff the longest wait between two attempts
     * @param commitInterval how often acknowledged offsets are committed; an effect done but not yet
     *        committed is redelivered after a crash and dropped by the inbox
     * @param partitionBuffer records one partition may hold waiting for its handler; past it that
     *        partition alone is paused at the broker, so a partition stuck in retries never holds the others
     * @param maxDelayRebalance how long a rebalance waits for records already handed to handlers; must
     *        exceed one record's worst case ({@code max-attempts × handler-timeout} plus the backoffs, one
     *        more {@code handler-timeout} for its batch's attempt where batches are on),
     *        so an event in retries still finishes before its partition moves to another instance
     * @param maxPollInterval Kafka's {@code max.poll.interval.ms}: a consumer that does not poll for this
     *        long leaves the group; must exceed {@code max-delay-rebalance}, during which it does not poll
     * @param batchSize most records of one partition handed together to a consumer that takes batches
     *        ({@link EventConsumer#batches()}); 1 hands them one at a time
     */
    public record Receiver(
            @DefaultValue("5") @Min(1) int maxAttempts,
            @DefaultValue("30s") @NotNull Duration handlerTimeout,
            @DefaultValue("200ms") @NotNull Duration initialBackoff,
            @DefaultValue("5s") @NotNull Duration maxBackoff,
            @DefaultValue("200ms") @NotNull Duration commitInterval,
            @DefaultValue("100") @Min(1) int partitionBuffer,
            @DefaultValue("4m") @NotNull Duration maxDelayRebalance,
            @DefaultValue("5m") @NotNull Duration maxPollInterval,
            @DefaultValue("100") @Min(1) int batchSize) {

        /**
         * The longest one record can keep its handler busy: every attempt timing out, plus the
         * backoff before each retry with Reactor's default jitter (up to half again), plus, where
         * batches are on, the attempt of its batch before it is handled on its own.
         */
        public Duration worstCaseHandling() {
            Duration total = handlerTimeout.multipliedBy(batchSize > 1 ? maxAttempts + 1L : maxAttempts);
            Duration backoff = initialBackoff;
            for (int retry = 1; retry < maxAttempts; retry++) {
                Duration capped = backoff.compareTo(maxBackoff) < 0 ? backoff : maxBackoff;
                total = total.plus(capped).plus(capped.dividedBy(2));
                backoff = backoff.multipliedBy(2);
            }
            return total;
        }

        /** Refuses settings under which a rebalance could move a partition while its event is still handled. */
        @AssertTrue(message = "max-attempts × handler-timeout plus backoff must stay under max-delay-rebalance, "
                + "and max-delay-rebalance under max-poll-interval")
        public boolean isRebalanceSafe() {
            return worstCaseHandling().compareTo(maxDelayRebalance) < 0 && maxDelayRebalance.compareTo(maxPollInterval) < 0;
        }
    }

    /**
     * Topics created at start: every event topic ({@code Topics.all()}) and its {@code .dlt}. Nothing
     * relies on the broker creating a topic on first use (which it does with its own defaults, or not
     * at all where that is switched off).
     *
     * @param partitions partitions of a new topic, the most consumer instances of one group that get work
     * @param replicationFactor copies of each partition; empty takes the broker's {@code default.replication.factor}
     * @param partitionOverrides partitions per logical topic where it differs ({@code shop.orders.v1: 12});
     *        a dead-letter topic follows its topic
     */
    public record TopicSettings(
            @DefaultValue("3") @Min(1) int partitions,
            @Min(1) Short replicationFactor,
            @DefaultValue Map<String, @NotNull @Min(1) Integer> partitionOverrides) {

        /** Partitions for a logical topic (or its dead-letter topic). */
        public int partitionsOf(String logicalTopic) {
            String topic = logicalTopic.endsWith(".dlt") ? logicalTopic.substring(0, logicalTopic.length() - 4) : logicalTopic;
            return partitionOverrides.getOrDefault(topic, partitions);
        }
    }

    /**
     * Re-driving dead letters back to their topic.
     *
     * @param timeout the longest one re-drive may take before it stops and reports a failure; the
     *        records it already republished are committed and stay done
     */
    public record DeadLetters(@DefaultValue("60s") @NotNull Duration timeout) {
    }

    /**
     * Outbox relay behaviour.
     *
     * @param enabled whether this instance runs a relay (only one instance relays at a time anyway)
     * @param pollInterval longest wait between two polls when the last batch was not full; rows this
     *        instance commits wake the relay sooner (within {@code wake-tick}), so the poll only bounds
     *        the delay of rows written by other instances or of a lost signal
     * @param wakeTick how often a waiting relay checks whether this instance committed outbox rows;
     *        commits within one tick go out in one batch
     * @param batchSize rows published per transaction
     * @param retention how long discarded rows ({@code outbox_discarded}) are kept for inspection before they are deleted; a published row is deleted at once
     * @param maxAttempts relay passes in which a row may fail with a retriable error while other rows
     *        are published before it is parked; a refusal that can never succeed parks it at once
     * @param batchTimeout longest time one relay transaction (lock, select, send, delete, commit) may take
     *        before it fails and rolls back; leave room for two sends (the batch, then row by row)
     */
    public record Relay(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("200ms") @NotNull Duration pollInterval,
            @DefaultValue("5ms") @NotNull Duration wakeTick,
            @DefaultValue("200") @Min(1) int batchSize,
            @DefaultValue("1d") @NotNull Duration retention,
            @DefaultValue("5") @Min(1) int maxAttempts,
            @DefaultValue("60s") @NotNull Duration batchTimeout) {
    }

    /**
     * Inbox clean-up.
     *
     * @param retention how long a handled event id is kept; far beyond any redelivery window (a
     *        consumer restarted from its last commit, a producer retry), since an event redelivered
     *        after its id is gone would have a second effect
     * @param cleanupBatch rows deleted per statement, so one clean-up never holds a long lock
     * @param cleanupInterval wait between two clean-up rounds
     */
    public record InboxCleanup(
            @DefaultValue("7d") @NotNull Duration retention,
            @DefaultValue("5000") @Min(1) int cleanupBatch,
            @DefaultValue("1m") @NotNull Duration cleanupInterval) {
    }
}
