package dev.surge.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** A rebalance must never move a partition while its event is still in retries: checked at start-up. */
class ReceiverSettingsTests {

    private static ValidatorFactory validation;
    private static Validator validator;

    @BeforeAll
    static void start() {
        validation = Validation.buildDefaultValidatorFactory();
        validator = validation.getValidator();
    }

    @AfterAll
    static void stop() {
        validation.close();
    }

    @Test
    void theDefaultsLeaveRoomForOneEventsWholeRetryBudget() {
        MessagingProperties defaults = bind(Map.of());
        MessagingProperties.Receiver receiver = defaults.receiver();
        // 5 attempts × 30 s, plus 0.2 + 0.4 + 0.8 + 1.6 s of backoff with up to half again of jitter,
        // plus 30 s for the attempt of the record's batch (batches of up to 100)
        assertThat(receiver.worstCaseHandling()).isEqualTo(Duration.ofMillis(184_500));
        assertThat(receiver.maxDelayRebalance()).isEqualTo(Duration.ofMinutes(4));
        assertThat(receiver.maxPollInterval()).isEqualTo(Duration.ofMinutes(5));
        assertThat(validator.validate(defaults)).isEmpty();
    }

    @Test
    void retriesThatOutlastTheRebalanceDelayAreRefused() {
        MessagingProperties settings = bind(Map.of("surge.messaging.receiver.handler-timeout", "40s"));
        assertThat(validator.validate(settings))
                .singleElement()
                .satisfies(violation -> {
                    assertThat(violation.getPropertyPath()).hasToString("receiver.rebalanceSafe");
                    assertThat(violation.getMessage()).contains("max-delay-rebalance");
                });
    }

    @Test
    void aRebalanceDelayBeyondThePollIntervalIsRefused() {
        MessagingProperties settings = bind(Map.of(
                "surge.messaging.receiver.max-delay-rebalance", "6m",
                "surge.messaging.receiver.max-poll-interval", "5m"));
        assertThat(validator.validate(settings)).hasSize(1);
    }

    @Test
    void partitionsPerTopicFollowTheOverridesAndADeadLetterTopicFollowsItsTopic() {
        MessagingProperties settings = bind(Map.of(
                "surge.messaging.topics.partitions", "6",
                "surge.messaging.topics.partition-overrides.[shop.orders.v1]", "12"));
        assertThat(settings.topics().partitionsOf("shop.orders.v1")).isEqualTo(12);
        assertThat(settings.topics().partitionsOf("shop.orders.v1.dlt")).isEqualTo(12);
        assertThat(settings.topics().partitionsOf("shop.catalog.v1")).isEqualTo(6);
        assertThat(settings.topics().replicationFactor()).isNull();
    }

    private static MessagingProperties bind(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties))
                .bindOrCreate("surge.messaging", MessagingProperties.class);
    }
}
