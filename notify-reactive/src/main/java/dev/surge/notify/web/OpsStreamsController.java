package dev.surge.notify.web;

import java.util.List;

import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;

import dev.surge.notify.ops.OpsStreams;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The SRE streams (the ops role, checked by the security chain): the event firehose and the vital signs. */
@RestController
class OpsStreamsController {

    private final OpsStreams streams;

    OpsStreamsController(OpsStreams streams) {
        this.streams = streams;
    }

    /** {@code ?type=OrderPlaced,PaymentFailed} (or the parameter repeated) keeps only those types. */
    @GetMapping("/api/ops/events")
    Mono<ResponseEntity<Flux<ServerSentEvent<String>>>> events(@AuthenticationPrincipal Jwt token,
            @RequestParam(name = "type", required = false) List<String> types, ServerWebExchange exchange) {
        return streams.events(token.getSubject(), types, token.getExpiresAt(), StreamRequests.disconnect(exchange))
                .map(OrderEventsController::stream);
    }

    @GetMapping("/api/ops/metrics")
    Mono<ResponseEntity<Flux<ServerSentEvent<String>>>> metrics(@AuthenticationPrincipal Jwt token) {
        return streams.metrics(token.getSubject(), token.getExpiresAt())
                .map(OrderEventsController::stream);
    }
}
