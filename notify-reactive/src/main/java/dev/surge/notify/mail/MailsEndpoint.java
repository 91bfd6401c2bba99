package dev.surge.notify.mail;

import java.net.URI;
import java.util.List;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Mono;

/**
 * Actuator endpoint {@code mails} for ops: {@code GET /actuator/mails} shows the mails not yet sent
 * and the oldest parked ones (bodies left out); {@code POST /actuator/mails/{id}} sends one parked
 * mail again, {@code POST /actuator/mails/all} every one, with their counts cleared. notify has no
 * Spring Security today, like the outbox endpoint in it: keep actuator on the internal network.
 */
@Component
@Endpoint(id = "mails")
class MailsEndpoint {

    /** The list answers a person: the oldest parked mails are the ones to look at first. */
    private static final int LISTED = 100;

    private static final String PROBLEMS = "https://surge.dev/problems/";

    private final MailOutbox outbox;

    MailsEndpoint(MailOutbox outbox) {
        this.outbox = outbox;
    }

    @ReadOperation
    Mono<Report> mails() {
        return outbox.backlog()
                .zipWith(outbox.parked(LISTED).collectList(), Report::new);
    }

    @WriteOperation
    Mono<WebEndpointResponse<Object>> redrive(@Selector String mail) {
        if ("all".equals(mail)) {
            return outbox.redriveAll()
                    .map(count -> new WebEndpointResponse<>(new Redriven(count), WebEndpointResponse.STATUS_OK));
        }
        long id;
        try {
            id = Long.parseLong(mail);
        }
        catch (NumberFormatException notANumber) {
            return Mono.just(problem(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request",
                    "Expected a mail id or 'all', got '" + mail + "'"));
        }
        return outbox.redrive(id)
                .map(found -> found
                        ? new WebEndpointResponse<Object>(new Redriven(1), WebEndpointResponse.STATUS_OK)
                        : problem(HttpStatus.NOT_FOUND, "mail-not-parked", "Mail not parked", "No parked mail has id " + id));
    }

    private static WebEndpointResponse<Object> problem(HttpStatus status, String type, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create(PROBLEMS + type));
        problem.setTitle(title);
        return new WebEndpointResponse<>(problem, status.value());
    }

    /**
     * What {@code GET /actuator/mails} shows.
     *
     * @param backlog counts of mails not yet sent
     * @param parked  the oldest parked mails, at most 100
     */
    record Report(MailOutbox.Backlog backlog, List<MailOutbox.ParkedMail> parked) {
    }

    /** @param mails how many parked mails go back into the queue */
    record Redriven(long mails) {
    }
}
