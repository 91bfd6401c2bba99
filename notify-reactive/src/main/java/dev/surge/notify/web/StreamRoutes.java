package dev.surge.notify.web;

import java.util.List;
import java.util.UUID;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import dev.surge.notify.live.OrderStreams;
import dev.surge.notify.ops.OpsStreams;
import dev.surge.service.web.CanonicalUuid;
import reactor.core.publisher.Mono;

/**
 * The stream endpoints, as functional routes rather than annotated controllers: an annotated handler
 * keeps its per-request invocation (its argument resolvers' cache of 512 slots, its model, its method
 * parameters) for as long as the response streams, a couple of KiB per held stream (root README, "Held
 * streams"). The answer's status is decided before any stream opens: {@code 401}/{@code 403} without a
 * valid token or role ({@link StreamCallers}), {@code 404} for an order that is not the shopper's,
 * {@code 204} for a finished order the client has seen end, {@code 429}/{@code 503} over the limits,
 * all as problem documents ({@link StreamProblems}).
 *
 * <ul>
 * <li>{@code GET /api/orders/events}, {@code GET /api/orders/{id}/events}: a shopper's live order status,
 * all their orders or one; {@code Last-Event-ID} resumes.</li>
 * <li>{@code GET /api/ops/events[?type=OrderPlaced,PaymentFailed]}: the firehose (ops role); the parameter
 * may also be repeated.</li>
 * <li>{@code GET /api/ops/metrics}: the vital signs once a second (ops role).</li>
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
class StreamRoutes {

    static final String LAST_EVENT_ID = "Last-Event-ID";

    @Bean
    RouterFunction<ServerResponse> streams(OrderStreams orders, OpsStreams ops, StreamCallers callers) {
        return RouterFunctions.route()
                .GET("/api/orders/events", request -> answer(request, callers.shopper(request.exchange())
                        .flatMap(caller -> Mono.fromCallable(() -> StreamRequests.lastEventId(lastEventId(request)))
                                .flatMap(resumeAfter -> orders.open(caller.userId(), null, resumeAfter.orElse(null),
                                        caller.expiresAt(), StreamRequests.client(request.exchange()))))
                        .flatMap(StreamRoutes::opening)))
                .GET("/api/orders/{id}/events", request -> answer(request, callers.shopper(request.exchange())
                        .flatMap(caller -> Mono.fromCallable(() -> new Resume(CanonicalUuid.required("id", request.pathVariable("id")),
                                        StreamRequests.lastEventId(lastEventId(request)).orElse(null)))
                                .flatMap(resume -> orders.open(caller.userId(), resume.orderId(), resume.lastEventId(),
                                        caller.expiresAt(), StreamRequests.client(request.exchange()))))
                        .flatMap(StreamRoutes::opening)))
                .GET("/api/ops/events", request -> answer(request, callers.ops(request.exchange())
                        .flatMap(caller -> ops.events(caller.userId(), types(request), caller.expiresAt(),
                                StreamRequests.client(request.exchange()), request.exchange().getResponse().bufferFactory()))
                        .flatMap(bytes -> stream().body(BodyInserters.fromDataBuffers(bytes)))))
                .GET("/api/ops/metrics", request -> answer(request, callers.ops(request.exchange())
                        .flatMap(caller -> ops.metrics(caller.userId(), caller.expiresAt()))
                        .flatMap(events -> stream().body(BodyInserters.fromServerSentEvents(events)))))
                .build();
    }

    private static Mono<ServerResponse> opening(OrderStreams.Opening opening) {
        return switch (opening) {
            case OrderStreams.Opened opened -> stream().body(BodyInserters.fromServerSentEvents(opened.events()));
            case OrderStreams.Finished finished -> ServerResponse.noContent().build();
        };
    }

    /**
     * The refusals as problems; and the opening chain (token check, limits, where the stream starts) let go
     * once the answer is out, instead of staying reachable from the body for the stream's whole life.
     */
    private static Mono<ServerResponse> answer(ServerRequest request, Mono<ServerResponse> response) {
        return response.onErrorResume(failure -> StreamProblems.answer(failure, request.path()))
                .onTerminateDetach();
    }

    /** {@code 200 text/event-stream}, which no proxy may buffer or transform (nginx honours X-Accel-Buffering). */
    private static ServerResponse.BodyBuilder stream() {
        return ServerResponse.ok()
                .contentType(MediaType.TEXT_EVENT_STREAM)
                .header("Cache-Control", "no-cache, no-transform")
                .header("X-Accel-Buffering", "no")
                // the security chain's headers are not written on streams (StreamCallers): the one that matters here
                .header("X-Content-Type-Options", "nosniff");
    }

    private static String lastEventId(ServerRequest request) {
        return request.headers().firstHeader(LAST_EVENT_ID);
    }

    private static List<String> types(ServerRequest request) {
        List<String> types = request.queryParams().get("type");
        return types == null || types.isEmpty() ? null : types;
    }

    private record Resume(UUID orderId, Long lastEventId) {
    }
}
