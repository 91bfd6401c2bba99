package dev.surge.messaging;

import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.surge.events.EventCodec;
import dev.surge.events.Topics;
import dev.surge.testsupport.IntegrationTest;
import reactor.test.StepVerifier;

/** The {@code deadletters} actuator endpoint as ops call it, over HTTP, in an application wired by the auto-configuration. */
@IntegrationTest(identityProvider = false)
@TestPropertySource(properties = {
        "spring.flyway.locations=classpath:db/messaging",
        "management.endpoints.web.exposure.include=health,deadletters",
        "surge.messaging.relay.enabled=false" })
class DeadLettersEndpointIT {

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class Application {
    }

    @Autowired
    WebTestClient web;

    @Autowired
    EventPublisher publisher;

    @Test
    void opsSeeWhatWaitsAndReDriveATopicOverHttp() {
        OutgoingMessage letter = new OutgoingMessage(Topics.deadLetter(Topics.PAYMENTS), "order-7",
                Map.of(EventCodec.TYPE_HEADER, "PaymentFailed", EventCodec.VERSION_HEADER, "1",
                        KafkaEventReceiver.DLT_REASON_HEADER, "IllegalStateException: downstream down"),
                "{}".getBytes(StandardCharsets.UTF_8));
        StepVerifier.create(publisher.send(List.of(letter, letter))).verifyComplete();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> web.get().uri("/actuator/deadletters")
                .exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.topics.length()").isEqualTo(Topics.all().size())
                .jsonPath("$.topics[?(@.topic == '%s')].deadLetterTopic".formatted(Topics.PAYMENTS))
                .isEqualTo(Topics.deadLetter(Topics.PAYMENTS))
                .jsonPath("$.topics[?(@.topic == '%s')].waiting".formatted(Topics.PAYMENTS)).isEqualTo(2)
                .jsonPath("$.topics[?(@.topic == '%s')].waiting".formatted(Topics.ORDERS)).isEqualTo(0));

        web.post().uri("/actuator/deadletters")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("topic", Topics.PAYMENTS))
                .exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.topic").isEqualTo(Topics.PAYMENTS)
                .jsonPath("$.republished").isEqualTo(2);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> web.get().uri("/actuator/deadletters")
                .exchange()
                .expectBody()
                .jsonPath("$.topics[?(@.topic == '%s')].waiting".formatted(Topics.PAYMENTS)).isEqualTo(0));
    }

    @Test
    void aTopicThatIsNotAnEventTopicIsAProblem() {
        web.post().uri("/actuator/deadletters")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("topic", "shop.nothing.v1"))
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody()
                .jsonPath("$.type").isEqualTo("https://surge.dev/problems/invalid-request")
                .jsonPath("$.status").isEqualTo(400);
    }
}
