package dev.surge.messaging;

import java.time.Duration;

import jakarta.validation.Valid;
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
 */
@Validated
@ConfigurationProperties("surge.messaging")
public record MessagingProperties(
        @DefaultValue("127.0.0.1:9092") @NotBlank String bootstrapServers,
        @DefaultValue("") String namespace,
        @DefaultValue("10s") @NotNull Duration sendTimeout,
        @DefaultValue("2s") @NotNull Duration healthTimeout,
        @DefaultValue @Valid Receiver receiver,
        @DefaultValue @Valid Relay relay) {

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
     */
    public record Receiver(
            @DefaultValue("5") @Min(1) int maxAttempts,
            @DefaultValue("30s") @NotNull Duration handlerTimeout,
            @DefaultValue("200ms") @NotNull Duration initialBackoff,
            @DefaultValue("5s") @NotNull Duration maxBackoff,
            @DefaultValue("200ms") @NotNull Duration commitInterval) {
    }

    /**
     * Outbox relay behaviour.
     *
     * @param enabled whether this instance runs a relay (only one instance relays at a time anyway)
     * @param pollInterval wait between two polls when the last batch was not full
     * @param batchSize rows published per transaction
     * @param retention how long published rows are kept for inspection before they are deleted
     */
    public record Relay(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("200ms") @NotNull Duration pollInterval,
            @DefaultValue("200") @Min(1) int batchSize,
            @DefaultValue("1d") @NotNull Duration retention) {
    }
}
