package dev.surge.service.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.springframework.boot.health.actuate.endpoint.HttpCodeStatusMapper;
import org.springframework.boot.health.actuate.endpoint.SimpleHttpCodeStatusMapper;
import org.springframework.boot.health.actuate.endpoint.SimpleStatusAggregator;
import org.springframework.boot.health.actuate.endpoint.StatusAggregator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.boot.health.contributor.Status;

import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

class HealthSupportTests {

    private static final Status DEGRADED = DegradedStatus.DEGRADED;

    @Test
    void degradedRanksBetweenDownAndUp() {
        StatusAggregator aggregator = new SimpleStatusAggregator(HealthSupportAutoConfiguration.statusOrder(List.of()));
        assertThat(aggregator.getAggregateStatus(Set.of(Status.UP, DEGRADED))).isEqualTo(DEGRADED);
        assertThat(aggregator.getAggregateStatus(Set.of(Status.DOWN, DEGRADED, Status.UP))).isEqualTo(Status.DOWN);
        assertThat(aggregator.getAggregateStatus(Set.of(Status.OUT_OF_SERVICE, DEGRADED))).isEqualTo(Status.OUT_OF_SERVICE);
        assertThat(aggregator.getAggregateStatus(Set.of(Status.UP))).isEqualTo(Status.UP);
    }

    @Test
    void aConfiguredOrderGetsDegradedBeforeUpUnlessItNamesIt() {
        assertThat(HealthSupportAutoConfiguration.statusOrder(List.of("fatal", "down", "up")))
                .containsExactly("fatal", "down", "DEGRADED", "up");
        assertThat(HealthSupportAutoConfiguration.statusOrder(List.of("down", "degraded", "out-of-service", "up")))
                .containsExactly("down", "degraded", "out-of-service", "up");
    }

    @Test
    void degradedAnswers200AndDownStays503WhenOtherStatusesAreMapped() {
        HttpCodeStatusMapper mapper = new SimpleHttpCodeStatusMapper(
                HealthSupportAutoConfiguration.httpMapping(Map.of("fatal", 500)));
        assertThat(mapper.getStatusCode(DEGRADED)).isEqualTo(200);
        assertThat(mapper.getStatusCode(Status.DOWN)).isEqualTo(503);
        assertThat(mapper.getStatusCode(Status.OUT_OF_SERVICE)).isEqualTo(503);
        assertThat(mapper.getStatusCode(new Status("FATAL"))).isEqualTo(500);
        assertThat(mapper.getStatusCode(Status.UP)).isEqualTo(200);
    }

    @Test
    void aConfiguredMappingWins() {
        HttpCodeStatusMapper mapper = new SimpleHttpCodeStatusMapper(
                HealthSupportAutoConfiguration.httpMapping(Map.of("degraded", 207, "down", 500)));
        assertThat(mapper.getStatusCode(DEGRADED)).isEqualTo(207);
        assertThat(mapper.getStatusCode(Status.DOWN)).isEqualTo(500);
    }

    @Test
    void theGaugeFollowsTheLastCheck() {
        Status[] next = { Status.UP };
        ReactiveHealthIndicator dependency = () -> Mono.fromSupplier(() -> Health.status(next[0]).build());
        MeteredHealthIndicator metered = new MeteredHealthIndicator(dependency);
        assertThat(metered.available()).as("before any check").isNaN();

        StepVerifier.create(metered.health(true)).expectNextMatches(health -> health.getStatus().equals(Status.UP))
                .verifyComplete();
        assertThat(metered.available()).isEqualTo(1.0);

        next[0] = DEGRADED;
        StepVerifier.create(metered.health()).expectNextMatches(health -> health.getStatus().equals(DEGRADED))
                .verifyComplete();
        assertThat(metered.available()).isEqualTo(0.0);

        next[0] = Status.UP;
        StepVerifier.create(metered.health(false)).expectNextCount(1).verifyComplete();
        assertThat(metered.available()).isEqualTo(1.0);
    }
}
