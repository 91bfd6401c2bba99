package dev.surge.messaging;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.surge.events.EventEnvelope;
import dev.surge.events.ops.VitalSigns;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Publishes this instance's {@link VitalSigns} on {@code shop.ops.v1} every interval: its outbox backlog
 * (the relay's last reading), the lag of each of its consumer groups (read from the broker), the counts
 * of {@link VitalSignsCounters} since the previous vital signs, and what the service's
 * {@link VitalSignsSource}s add (breaker states, open streams). Published directly, not through the
 * outbox: a vital sign is worth something only while it is fresh, and one lost while Kafka is away is
 * replaced by the next. A round that cannot be gathered or sent is skipped; its counts go to the next.
 */
public class VitalSignsPublisher {

    private static final Logger log = LoggerFactory.getLogger(VitalSignsPublisher.class);

    private final String service;
    private final String instance;
    private final Duration interval;
    private final EventPublisher publisher;
    private final Admin admin;
    private final TopicNamespace namespace;
    private final List<String> groups;
    private final VitalSignsCounters counters;
    private final List<VitalSignsSource> sources;
    private final OutboxRelay relay;
    private final AtomicLong sequence = new AtomicLong();
    private final Map<String, Long> unsent = new HashMap<>();

    /**
     * @param groups the logical consumer groups of the service ({@code <app>.<consumer>}), without namespace
     * @param relay  the service's outbox relay, {@code null} when it has none
     */
    VitalSignsPublisher(String service, Duration interval, EventPublisher publisher, Admin admin,
            TopicNamespace namespace, List<String> groups, VitalSignsCounters counters, List<VitalSignsSource> sources,
            OutboxRelay relay) {
        this.service = service;
        this.instance = service + "-" + ProcessHandle.current().pid() + "-"
                + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000));
        this.interval = interval;
        this.publisher = publisher;
        this.admin = admin;
        this.namespace = namespace;
        this.groups = List.copyOf(groups);
        this.counters = counters;
        this.sources = List.copyOf(sources);
        this.relay = relay;
    }

    /** This process among the running instances: the key and {@code instance} of its vital signs. */
    public String instance() {
        return instance;
    }

    /** Publishes every interval until cancelled. */
    Flux<Void> run() {
        return Flux.interval(interval, interval)
                .onBackpressureDrop()
                .concatMap(tick -> publishOnce()
                        .timeout(interval.multipliedBy(5))
                        .onErrorResume(failure -> {
                            log.debug("Vital signs not published this round: {}", failure.toString());
                            return Mono.empty();
                        }), 1);
    }

    /** Gathers and publishes one round of vital signs. */
    Mono<Void> publishOnce() {
        return consumerLag()
                .flatMap(lag -> {
                    Map<String, Long> counts = takeCounts();
                    VitalSigns signs = new VitalSigns(service, instance, interval.toMillis(),
                            relay == null ? null : relay.backlog(), lag, breakers(), streams(), counts);
                    return publisher.publish(EventEnvelope.of(instance, sequence.incrementAndGet(), signs))
                            .doOnError(failed -> keep(counts));
                });
    }

    /** The counts since the last published round: those of rounds that failed are added back in. */
    private synchronized Map<String, Long> takeCounts() {
        Map<String, Long> counts = counters.drain();
        unsent.forEach((name, count) -> counts.merge(name, count, Long::sum));
        unsent.clear();
        return counts;
    }

    private synchronized void keep(Map<String, Long> counts) {
        counts.forEach((name, count) -> unsent.merge(name, count, Long::sum));
    }

    private List<VitalSigns.Breaker> breakers() {
        List<VitalSigns.Breaker> breakers = new ArrayList<>();
        sources.forEach(source -> breakers.addAll(source.breakers()));
        return breakers;
    }

    private Integer streams() {
        Integer streams = null;
        for (VitalSignsSource source : sources) {
            Integer open = source.streams();
            if (open != null) {
                streams = (streams == null ? 0 : streams) + open;
            }
        }
        return streams;
    }

    /** Each group's lag; a group the broker has no offsets for yet (never committed) counts as none. */
    private Mono<List<VitalSigns.ConsumerLag>> consumerLag() {
        return Flux.fromIterable(groups)
                .concatMap(group -> lagOf(namespace.group(group)).map(lag -> new VitalSigns.ConsumerLag(group, lag)))
                .collectList();
    }

    private Mono<Long> lagOf(String group) {
        return Mono.defer(() -> Mono.fromCompletionStage(
                        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().toCompletionStage()))
                .flatMap(committed -> {
                    Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
                    committed.forEach((partition, offset) -> {
                        if (offset != null) {
                            ends.put(partition, OffsetSpec.latest());
                        }
                    });
                    if (ends.isEmpty()) {
                        return Mono.just(0L);
                    }
                    return Mono.fromCompletionStage(admin.listOffsets(ends).all().toCompletionStage())
                            .map(latest -> lag(committed, latest));
                });
    }

    static long lag(Map<TopicPartition, OffsetAndMetadata> committed,
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> latest) {
        long lag = 0;
        for (Map.Entry<TopicPartition, OffsetAndMetadata> entry : committed.entrySet()) {
            ListOffsetsResult.ListOffsetsResultInfo end = latest.get(entry.getKey());
            if (entry.getValue() != null && end != null) {
                lag += Math.max(0, end.offset() - entry.getValue().offset());
            }
        }
        return lag;
    }
}
