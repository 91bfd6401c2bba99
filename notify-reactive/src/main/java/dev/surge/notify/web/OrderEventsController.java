package dev.surge.notify.web;

import java.util.UUID;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;

import dev.surge.notify.live.OrderStreams;
import dev.surge.service.web.CanonicalUuid;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A shopper's live order status over Server-Sent Events: one order, or all of theirs. The answer's
 * status is decided before the stream opens: {@code 404} problem for an order that is not theirs,
 * {@code 204} for a finished order the client has seen end, {@code 429}/{@code 503} problems over the limits.
 */
@RestController
class OrderEventsController {

    static final String LAST_EVENT_ID = "Last-Event-ID";

    private final OrderStreams streams;

    OrderEventsController(OrderStreams streams) {
        this.streams = streams;
    }

    @GetMapping("/api/orders/events")
    Mono<ResponseEntity<Flux<ServerSentEvent<String>>>> mine(@AuthenticationPrincipal Jwt token,
            @RequestHeader(name = LAST_EVENT_ID, required = false) String lastEventId, ServerWebExchange exchange) {
        return Mono.fromCallable(() -> StreamRequests.lastEventId(lastEventId))
                .flatMap(resumeAfter -> streams.open(token.getSubject(), null, resumeAfter.orElse(null),
                        token.getExpiresAt(), StreamRequests.disconnect(exchange)))
                .map(OrderEventsController::answer);
    }

    @GetMapping("/api/orders/{id}/events")
    Mono<ResponseEntity<Flux<ServerSentEvent<String>>>> order(@AuthenticationPrincipal Jwt token, @PathVariable String id,
            @RequestHeader(name = LAST_EVENT_ID, required = false) String lastEventId, ServerWebExchange exchange) {
        return Mono.fromCallable(() -> new Request(CanonicalUuid.required("id", id), StreamRequests.lastEventId(lastEventId).orElse(null)))
                .flatMap(request -> streams.open(token.getSubject(), request.orderId(), request.lastEventId(),
                        token.getExpiresAt(), StreamRequests.disconnect(exchange)))
                .map(OrderEventsController::answer);
    }

    private static ResponseEntity<Flux<ServerSentEvent<String>>> answer(OrderStreams.Opening opening) {
        return switch (opening) {
            case OrderStreams.Opened opened -> stream(opened.events());
            case OrderStreams.Finished finished -> ResponseEntity.noContent().build();
        };
    }

    /** {@code 200 text/event-stream}, which no proxy may buffer or transform (nginx honours X-Accel-Buffering). */
    static ResponseEntity<Flux<ServerSentEvent<String>>> stream(Flux<ServerSentEvent<String>> events) {
        return ResponseEntity.ok()
                .contentType(MediaType.TEXT_EVENT_STREAM)
                .header("Cache-Control", "no-cache, no-transform")
                .header("X-Accel-Buffering", "no")
                .body(events);
    }

    private record Request(UUID orderId, Long lastEventId) {
    }
}
