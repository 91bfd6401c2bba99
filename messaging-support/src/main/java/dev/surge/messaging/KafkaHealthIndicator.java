package dev.surge.messaging;

import java.time.Duration;

import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.springframework.boot.health.contributor.AbstractReactiveHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import reactor.core.publisher.Mono;

/**
 * Health of the Kafka cluster: UP when the broker describes its cluster within the timeout,
 * DEGRADED (never DOWN) when it does not. Events wait in the outbox and consumers resume where
 * they committed, so a broker outage delays events but never stops a service from serving: it must
 * not take the service out of readiness. The code is the one service-support ranks and maps to 200.
 */
public class KafkaHealthIndicator extends AbstractReactiveHealthIndicator {

    static final Status DEGRADED = new Status("DEGRADED");

    private final AdminClient admin;
    private final Duration timeout;

    public KafkaHealthIndicator(AdminClient admin, Duration timeout) {
        super("Kafka health check failed");
        this.admin = admin;
        this.timeout = timeout;
    }

    @Override
    protected Mono<Health> doHealthCheck(Health.Builder builder) {
        return Mono.defer(this::describe)
                .map(described -> builder.up()
                        .withDetail("clusterId", described.clusterId())
                        .withDetail("brokers", described.brokers())
                        .build())
                .timeout(timeout.plusMillis(500))
                .onErrorResume(failure -> Mono.just(builder.status(DEGRADED)
                        .withDetail("error", failure.getClass().getSimpleName() + ": " + failure.getMessage())
                        .build()));
    }

    private Mono<Described> describe() {
        DescribeClusterResult cluster = admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis()));
        return Mono.fromCompletionStage(cluster.clusterId().toCompletionStage())
                .zipWith(Mono.fromCompletionStage(cluster.nodes().toCompletionStage()),
                        (clusterId, nodes) -> new Described(clusterId, nodes.size()));
    }

    private record Described(String clusterId, int brokers) {
    }
}
