package dev.surge.messaging;

import java.util.List;
import java.util.Optional;

import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

import reactor.core.publisher.Mono;

/**
 * Actuator endpoint {@code outbox} for ops: {@code GET /actuator/outbox} shows the backlog and the
 * parked rows; {@code POST /actuator/outbox/{id}} re-drives one parked row and
 * {@code POST /actuator/outbox/all} every one (the relay tries them again, each first of its
 * aggregate); {@code DELETE /actuator/outbox/{id}} discards one parked row into
 * {@code outbox_discarded}, releasing its aggregate's later rows. Discarding takes one id at a
 * time on purpose: it gives up an event, which should be a decision about that event.
 *
 * <p>Services leave actuator open for probes and scraping, so in a service with Spring Security
 * re-drive and discard need the {@code ops} role (a bearer token whose {@code roles} claim has
 * it), checked here; reading stays as open as the rest of actuator. A service without Spring
 * Security has no roles to check, and no other path of it is protected either.
 */
@Endpoint(id = "outbox")
class OutboxEndpoint {

    /** The list answers a person, not a script: the oldest rows are the ones to look at first. */
    private static final int LISTED = 100;

    private static final String NOT_PARKED = EndpointProblems.TYPE_BASE + "outbox-row-not-parked";
    private static final String INVALID_REQUEST = EndpointProblems.INVALID_REQUEST;


    private static final int OK = 200;
    private static final int BAD_REQUEST = 400;
    private static final int NOT_FOUND = 404;

    private final OutboxOperations operations;
    private final boolean writesNeedOps;

    /** @param writesNeedOps whether re-drive and discard need the ops role (the service has Spring Security) */
    OutboxEndpoint(OutboxOperations operations, boolean writesNeedOps) {
        this.operations = operations;
        this.writesNeedOps = writesNeedOps;
    }

    @ReadOperation
    Mono<Report> outbox() {
        return operations.backlog()
                .zipWith(operations.parked(LISTED).collectList(), Report::new);
    }

    @WriteOperation
    Mono<WebEndpointResponse<Object>> redrive(SecurityContext caller, @Selector String row) {
        if (refused(caller)) {
            return Mono.just(forbidden());
        }
        if ("all".equals(row)) {
            return operations.redriveAll()
                    .map(count -> new WebEndpointResponse<>(new Redriven(count), OK));
        }
        return id(row)
                .map(id -> operations.redrive(id)
                        .map(found -> found
                                ? new WebEndpointResponse<Object>(new Redriven(1), OK)
                                : notParked(id)))
                .orElseGet(() -> Mono.just(badId(row)));
    }

    @DeleteOperation
    Mono<WebEndpointResponse<Object>> discard(SecurityContext caller, @Selector String row) {
        if (refused(caller)) {
            return Mono.just(forbidden());
        }
        return id(row)
                .map(id -> operations.discard(id)
                        .map(found -> found
                                ? new WebEndpointResponse<Object>(new Discarded(id), OK)
                                : notParked(id)))
                .orElseGet(() -> Mono.just(badId(row)));
    }

    private static Optional<Long> id(String row) {
        try {
            return Optional.of(Long.parseLong(row));
        }
        catch (NumberFormatException notANumber) {
            return Optional.empty();
        }
    }

    private boolean refused(SecurityContext caller) {
        return EndpointProblems.refused(writesNeedOps, caller);
    }

    private static WebEndpointResponse<Object> forbidden() {
        return EndpointProblems.forbidden("Re-driving or discarding outbox rows needs the ops role");
    }

    private static WebEndpointResponse<Object> notParked(long id) {
        return EndpointProblems.problem(NOT_FOUND, NOT_PARKED, "Outbox row not parked", "No parked outbox row has id " + id);
    }

    private static WebEndpointResponse<Object> badId(String row) {
        return EndpointProblems.problem(BAD_REQUEST, INVALID_REQUEST, "Invalid request", "Expected an outbox row id or 'all', got '" + row + "'");
    }


    /**
     * What {@code GET /actuator/outbox} shows.
     *
     * @param backlog counts of unpublished rows
     * @param parked the oldest parked rows, at most 100
     */
    record Report(OutboxOperations.Backlog backlog, List<OutboxOperations.ParkedRow> parked) {
    }

    /** @param rows how many parked rows the relay will try again */
    record Redriven(long rows) {
    }

    /** @param id the row moved to {@code outbox_discarded} */
    record Discarded(long id) {
    }
}
