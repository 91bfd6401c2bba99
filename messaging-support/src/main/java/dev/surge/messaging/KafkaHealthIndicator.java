package dev.surge.messaging;

import java.time.Duration;

import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.springframework.boot.health.contributor.AbstractReactiveHealthIndicator;
import org.springframework.boot.health.contributor.Health;

import reactor.core.publisher.Mono;

/** Readiness of the Kafka cluster: UP when the broker describes its cluster within the timeout. */
public class KafkaHealthIndicator extends AbstractReactiveHealthIndicator {

    private final AdminClient admin;
    private final Duration timeout;

    public KafkaHealthIndicator(AdminClient admin, Duration timeout) {
        super("Kafka health check failed");
        this.admin = admin;
        this.timeout = timeout;
    }

    @Override
    protected Mono<Health> doHealthCheck(Health.Builder builder) {
        DescribeClusterResult cluster = admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis()));
        return Mono.fromCompletionStage(cluster.clusterId().toCompletionStage())
                .zipWith(Mono.fromCompletionStage(cluster.nodes().toCompletionStage()))
                .map(described -> builder.up()
                        .withDetail("clusterId", described.getT1())
                        .withDetail("brokers", described.getT2().size())
                        .build())
                .timeout(timeout.plusMillis(500));
    }
}
