package dev.surge.order.flashsale;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.annotation.Bean;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.surge.messaging.StreamLifecycle;
import dev.surge.service.web.NotFound;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code GET /api/flash-sales/{sku}}: a sale as anybody may see it (public, like the catalog).
 * {@code /api/flash-sales/{sku}/queue}, a shopper's way into a flash sale: {@code POST} takes a place
 * in the waiting room (or finds the one they hold) and answers where they stand; {@code GET} is a
 * Server-Sent Event stream of it: {@code waiting} (position, estimated wait) as the queue moves, then
 * one final event: {@code admitted} (the token "buy now" needs and when it lapses), {@code sold-out},
 * {@code turn-passed} (the admission lapsed unused, or Redis lost the place: take a place again).
 * {@code paused} says that admissions wait for Redis. The stream ends no later than the shopper's token.
 */
@RestController
class WaitingRoomController {

    /** The events after which a stream ends: the shopper's wait is over, one way or another. */
    private static final Set<String> FINAL = Set.of("admitted", "sold-out", "turn-passed");

    private final AtomicInteger open = new AtomicInteger();
    private final WaitingRoom room;
    private final ShowFlashSale sales;
    private final FlashSaleProperties properties;

    WaitingRoomController(WaitingRoom room, ShowFlashSale sales, FlashSaleProperties properties) {
        this.room = room;
        this.sales = sales;
        this.properties = properties;
    }

    /** The admission clock runs in every instance while the application runs, unless sales have no waiting room. */
    @Bean
    static SmartInitializingSingleton waitingRoomClock(StreamLifecycle streams, WaitingRoom room, FlashSaleProperties properties) {
        return () -> {
            if (properties.waitingRoom().required()) {
                streams.register("flash sale waiting room clock", room::clock);
            }
        };
    }

    /** Where a shopper stands: {@code WAITING} with a position, or {@code ADMITTED} with the token. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record StandingView(String sku, String status, Long position, Long estimatedWaitSeconds, Instant startsAt,
            String admission, Instant expiresAt, String stream) {

        static StandingView of(WaitingRoom.Standing standing) {
            return switch (standing) {
                case WaitingRoom.Waiting waiting -> new StandingView(waiting.sku(), "WAITING",
                        waiting.room().position(waiting.place()), waiting.room().estimatedWaitSeconds(waiting.place()),
                        waiting.room().startsAt(), null, null, "/api/flash-sales/" + waiting.sku() + "/queue");
                case WaitingRoom.Admitted admitted -> new StandingView(admitted.sku(), "ADMITTED", null, null, null,
                        admitted.admission(), admitted.expiresAt(), null);
            };
        }
    }

    /** What anybody may know of a sale: when it opens, whether units are left, the limit, and where to queue. */
    record PublicView(String sku, Instant startsAt, String status, int perShopperLimit, boolean waitingRoom, String queue) {
    }

    /**
     * Asked by every product page and by every shopper in a sale's waiting room: the sale's row by its key
     * and nothing else, not the counts ops watch (buyers, the gate, the room), which cost a scan and two
     * Redis calls each time.
     */
    @GetMapping("/api/flash-sales/{sku}")
    Mono<PublicView> sale(@PathVariable String sku) {
        return Mono.fromCallable(() -> FlashSaleForm.sku(sku))
                .flatMap(sales::find)
                .map(sale -> new PublicView(sale.sku(), sale.startsAt(), FlashSaleView.status(sale, Instant.now()),
                        sale.perShopperLimit(), properties.waitingRoom().required(), "/api/flash-sales/" + sale.sku() + "/queue"));
    }

    @PostMapping("/api/flash-sales/{sku}/queue")
    Mono<StandingView> join(@AuthenticationPrincipal Jwt token, @PathVariable String sku) {
        return Mono.fromCallable(() -> FlashSaleForm.sku(sku))
                .flatMap(valid -> room.join(valid, token.getSubject()))
                .map(StandingView::of);
    }

    @GetMapping(path = "/api/flash-sales/{sku}/queue", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    Mono<ResponseEntity<Flux<ServerSentEvent<Object>>>> watch(@AuthenticationPrincipal Jwt token, @PathVariable String sku) {
        String shopper = token.getSubject();
        Duration untilExpiry = token.getExpiresAt() == null ? Duration.ofHours(1)
                // a token accepted within the validator's clock skew may already be past its expiry
                : Duration.between(Instant.now(), token.getExpiresAt()).isNegative() ? Duration.ZERO
                : Duration.between(Instant.now(), token.getExpiresAt());
        return Mono.defer(() -> {
            Slot slot = new Slot();
            return Mono.fromCallable(() -> FlashSaleForm.sku(sku))
                    // full already: refused before Redis is asked anything
                    .doOnNext(valid -> {
                        if (open.get() >= properties.waitingRoom().maxStreams()) {
                            throw GatePaused.streamsFull(open.get(), properties.retryAfter());
                        }
                    })
                    .flatMap(valid -> room.place(valid, shopper)
                            .onErrorMap(Exception.class::isInstance, properties::paused))
                    .switchIfEmpty(Mono.error(() -> new NotFound("place in the waiting room of", sku)))
                    // the stream's own slot, taken in one step: a rush of requests all past the check above
                    // before any of them opened would otherwise all open; the stream's end gives it back
                    .map(place -> {
                        if (!slot.take()) {
                            throw GatePaused.streamsFull(properties.waitingRoom().maxStreams(), properties.retryAfter());
                        }
                        return events(sku, shopper, place)
                                .mergeWith(Flux.interval(properties.waitingRoom().heartbeat())
                                        .onBackpressureDrop()
                                        .map(beat -> ServerSentEvent.builder().comment("heartbeat").build()))
                                // a heartbeat is a comment, with no event name
                                .takeUntil(event -> event.event() != null && FINAL.contains(event.event()))
                                .take(untilExpiry)
                                .doOnSubscribe(subscription -> slot.streaming())
                                .doFinally(signal -> slot.giveBack());
                    })
                    // the request gone before its stream began: nothing else would give the slot back
                    .doOnCancel(slot::abandoned)
                    .map(events -> ResponseEntity.ok().contentType(MediaType.TEXT_EVENT_STREAM).body(events));
        });
    }

    /**
     * One stream's share of {@code max-streams}: taken once its place is found, given back once
     * when the stream ends, or when the request is cancelled before its stream was subscribed to. A
     * cancel racing the stream's start may give it back early: that stream then goes uncounted, which
     * can let one more in, never leave a slot taken for good.
     */
    private final class Slot {

        private final AtomicBoolean held = new AtomicBoolean();
        private volatile boolean streaming;

        boolean take() {
            if (open.incrementAndGet() > properties.waitingRoom().maxStreams()) {
                open.decrementAndGet();
                return false;
            }
            held.set(true);
            return true;
        }

        void streaming() {
            streaming = true;
        }

        void giveBack() {
            if (held.compareAndSet(true, false)) {
                open.decrementAndGet();
            }
        }

        void abandoned() {
            if (!streaming) {
                giveBack();
            }
        }
    }

    /** The shopper's standing at every tick, one event per change; the stream's end comes with a final one. */
    private Flux<ServerSentEvent<Object>> events(String sku, String shopper, long place) {
        return Flux.defer(() -> {
            PositionUpdates updates = new PositionUpdates(properties.waitingRoom().positionUpdates());
            return room.states(sku)
                    .onBackpressureLatest()
                    .filter(state -> updates.worthTelling(state, place))
                    .concatMap(state -> event(state, shopper, place), 1)
                    .distinctUntilChanged(event -> new Told(event.event(), event.data()));
        });
    }

    /** What a stream last told, compared by value (the event's data are records). */
    private record Told(String event, Object data) {
    }

    /**
     * One stream's pace of position updates: a state that only moves the shopper up the line is told at
     * most once per interval; anything else (the turn come, a pause, sold out, a state from before the
     * shopper's place) at once. Used by one stream's sequential pipeline only.
     */
    private static final class PositionUpdates {

        private final long intervalNanos;
        private boolean told;
        private long lastToldAt;

        PositionUpdates(Duration interval) {
            this.intervalNanos = interval.toNanos();
        }

        boolean worthTelling(RoomState state, long place) {
            boolean moveUpOnly = (state.status() == RoomState.Status.OPEN || state.status() == RoomState.Status.NOT_STARTED)
                    && state.seq() >= place && state.head() < place;
            if (!moveUpOnly) {
                told = false;
                return true;
            }
            // a monotonic clock: a wall clock stepped back would hold the updates until it caught up
            long now = System.nanoTime();
            if (told && now - lastToldAt < intervalNanos) {
                return false;
            }
            told = true;
            lastToldAt = now;
            return true;
        }
    }

    private Mono<ServerSentEvent<Object>> event(RoomState state, String shopper, long place) {
        return switch (state.status()) {
            case PAUSED -> Mono.just(paused());
            case SOLD_OUT -> Mono.just(event("sold-out", new SoldOut(state.sku())));
            case NOT_STARTED, OPEN -> {
                if (state.seq() < place) {
                    // behind this place: a state from before the shopper joined (another instance took the
                    // place, or this one's newest tick is older), or Redis lost the room and the place with it
                    yield room.place(state.sku(), shopper)
                            .map(kept -> false)
                            .defaultIfEmpty(true)
                            .filter(lost -> lost)
                            .map(lost -> event("turn-passed", new TurnPassed(state.sku(),
                                    "The waiting room was reset; take a place again")))
                            .onErrorResume(Exception.class, away -> Mono.empty());
                }
                yield room.standing(state, shopper, place)
                        .map(standing -> switch (standing) {
                            case WaitingRoom.Admitted admitted -> event("admitted", StandingView.of(admitted));
                            case WaitingRoom.Waiting waiting when state.head() >= place -> event("turn-passed",
                                    new TurnPassed(state.sku(), "Your admission lapsed unused; take a place again"));
                            case WaitingRoom.Waiting waiting -> event("waiting", StandingView.of(waiting));
                        })
                        .onErrorResume(Exception.class, away -> Mono.just(paused()));
            }
        };
    }

    private ServerSentEvent<Object> paused() {
        return event("paused", new Paused("Admissions wait for the sale's stock gate; your place is kept",
                properties.retryAfter().toSeconds()));
    }

    private static ServerSentEvent<Object> event(String name, Object data) {
        return ServerSentEvent.builder(data).event(name).build();
    }

    record Paused(String detail, long retryAfterSeconds) {
    }

    record SoldOut(String sku) {
    }

    record TurnPassed(String sku, String detail) {
    }
}
