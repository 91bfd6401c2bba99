package dev.surge.messaging;

import java.util.List;
import java.util.concurrent.TimeoutException;

import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

import dev.surge.events.Topics;
import reactor.core.publisher.Mono;

/**
 * Actuator endpoint {@code deadletters} for ops: {@code GET /actuator/deadletters} shows how many
 * letters wait in each dead-letter topic; {@code POST /actuator/deadletters} with
 * {@code {"topic": "shop.orders.v1"}} republishes that topic's waiting letters to it and answers
 * how many. Fix the cause first: a letter that fails again is parked again.
 *
 * <p>Services leave actuator open for probes and scraping, so in a service with Spring Security a
 * re-drive needs the {@code ops} role (a bearer token whose {@code roles} claim has it), checked
 * here, as the {@code outbox} endpoint does; reading the counts stays as open as the rest of actuator.
 */
@Endpoint(id = "deadletters")
class DeadLettersEndpoint {

    private static final String INVALID_REQUEST = EndpointProblems.INVALID_REQUEST;
    private static final String REDRIVE_RUNNING = EndpointProblems.TYPE_BASE + "dead-letter-redrive-running";
    private static final String REDRIVE_FAILED = EndpointProblems.TYPE_BASE + "dead-letter-redrive-failed";


    private static final int OK = 200;
    private static final int BAD_REQUEST = 400;
    private static final int CONFLICT = 409;
    private static final int UNAVAILABLE = 503;

    private final DeadLetters deadLetters;
    private final boolean redriveNeedsOps;

    /** @param redriveNeedsOps whether a re-drive needs the ops role (the service has Spring Security) */
    DeadLettersEndpoint(DeadLetters deadLetters, boolean redriveNeedsOps) {
        this.deadLetters = deadLetters;
        this.redriveNeedsOps = redriveNeedsOps;
    }

    @ReadOperation
    Mono<Report> waiting() {
        return deadLetters.waiting()
                .map(Report::new);
    }

    /** @param topic the event topic to re-drive, or its dead-letter topic */
    @WriteOperation
    Mono<WebEndpointResponse<Object>> redrive(SecurityContext caller, String topic) {
        if (EndpointProblems.refused(redriveNeedsOps, caller)) {
            return Mono.just(EndpointProblems.forbidden("Re-driving dead letters needs the ops role"));
        }
        String eventTopic = topic.endsWith(".dlt") ? topic.substring(0, topic.length() - ".dlt".length()) : topic;
        if (!Topics.all().contains(eventTopic)) {
            return Mono.just(EndpointProblems.problem(BAD_REQUEST, INVALID_REQUEST, "Invalid request",
                    "Expected one of " + Topics.all() + ", got '" + topic + "'"));
        }
        return deadLetters.redrive(eventTopic)
                .map(count -> new WebEndpointResponse<Object>(new Redriven(eventTopic, count), OK))
                .onErrorResume(DeadLetters.RedriveRunning.class, running -> Mono.just(EndpointProblems.problem(CONFLICT, REDRIVE_RUNNING,
                        "Re-drive running", "Another dead-letter re-drive runs in this instance; try again when it is done")))
                // the letters republished before the failure are committed and stay done; another POST takes the rest
                .onErrorResume(TimeoutException.class, timeout -> Mono.just(EndpointProblems.problem(UNAVAILABLE, REDRIVE_FAILED,
                        "Re-drive incomplete", "The re-drive of " + eventTopic + " did not finish in time; POST again for the rest")));
    }


    /** @param topics letters waiting per dead-letter topic */
    record Report(List<DeadLetters.Waiting> topics) {
    }

    /**
     * @param topic where the letters went back to
     * @param republished how many
     */
    record Redriven(String topic, long republished) {
    }
}
