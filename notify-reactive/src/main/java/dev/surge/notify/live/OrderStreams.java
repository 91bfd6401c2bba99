package dev.surge.notify.live;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.springframework.http.codec.ServerSentEvent;
import org.springframework.stereotype.Component;

import dev.surge.service.web.NotFound;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.json.JsonMapper;

/**
 * Opens a shopper's live-status stream: of one order ({@code /api/orders/{id}/events}) or of all of
 * theirs ({@code /api/orders/events}). Everything that can refuse it (limits, an unknown or another
 * shopper's order, a finished order) is decided before the stream opens. A stream is registered for the
 * shopper's changes first and only then reads where it starts (a snapshot, or the changes after
 * {@code Last-Event-ID}), so a change committed meanwhile is either in what it read or waits in its
 * buffer: nothing is lost between the two, and ids at or below where it started are dropped.
 */
@Component
public class OrderStreams {

    /** The event name of a snapshot; each change after it is an {@value #CHANGE}. */
    static final String SNAPSHOT = "snapshot";
    static final String CHANGE = "order";

    private static final Duration ORDER_POLL = Duration.ofMillis(200);
    private static final long UNCLAIMED_SECONDS = 30;
    private static final int HEARTBEAT_PREFETCH = 4;
    /** The heartbeat comment, one instance for every stream. */
    public static final ServerSentEvent<String> HEARTBEAT = ServerSentEvent.<String>builder().comment("heartbeat").build();

    private final R2dbcShopperFeed feed;
    private final LiveHub hub;
    private final StreamLimits limits;
    private final LiveStreamProperties settings;
    private final JsonMapper json;

    OrderStreams(R2dbcShopperFeed feed, LiveHub hub, StreamLimits limits, LiveStreamProperties settings, JsonMapper json) {
        this.feed = feed;
        this.hub = hub;
        this.limits = limits;
        this.settings = settings;
        this.json = json;
    }

    /** What a request for a stream gets. */
    public sealed interface Opening {
    }

    /** The stream: answered {@code 200 text/event-stream}. */
    public record Opened(Flux<ServerSentEvent<String>> events) implements Opening {
    }

    /** The order is finished and the client has seen its end: {@code 204}, so EventSource stops reconnecting. */
    public record Finished() implements Opening {
    }

    /**
     * A stream of one order, or of all the shopper's orders when {@code orderId} is null.
     *
     * @param lastEventId the client's {@code Last-Event-ID}, or null on a first connection
     * @param expiresAt   when the shopper's token expires: the stream ends then at the latest
     * @param client      the client's connection
     */
    public Mono<Opening> open(String userId, UUID orderId, Long lastEventId, Instant expiresAt, StreamClient client) {
        return limits.acquire(userId)
                .flatMap(permit -> open(permit, userId, orderId, lastEventId, expiresAt, client));
    }

    /** With its place taken: registered for the shopper's changes before it reads where it starts. */
    private Mono<Opening> open(StreamLimits.Permit permit, String userId, UUID orderId, Long lastEventId,
            Instant expiresAt, StreamClient client) {
        ClientBuffer<LiveEvent> buffer = hub.register(userId, client, expiresAt);
        Runnable release = () -> {
            hub.unregister(userId, buffer);
            permit.release();
        };
        return start(userId, orderId, lastEventId)
                .map(start -> start == Start.FINISHED ? (Opening) new Finished()
                        : new Opened(released(body(orderId, start, buffer), release)))
                .doOnNext(opening -> {
                    if (opening instanceof Finished) {
                        release.run();
                    }
                })
                .doOnError(failure -> release.run())
                .doOnCancel(release);
    }

    /**
     * The body gives the stream's place and buffer back when it ends, and also when it is never
     * subscribed (the client went away between the answer's status and its body), after
     * {@value #UNCLAIMED_SECONDS} s.
     */
    public static <T> Flux<T> released(Flux<T> body, Runnable release) {
        Disposable unclaimed = Schedulers.parallel().schedule(release, UNCLAIMED_SECONDS, TimeUnit.SECONDS);
        return body
                .doOnSubscribe(subscription -> unclaimed.dispose())
                .doFinally(signal -> release.run());
    }

    /** Where the stream starts: a snapshot or the changes after {@code lastEventId}, or {@link Start#FINISHED}. */
    private Mono<Start> start(String userId, UUID orderId, Long lastEventId) {
        if (orderId == null) {
            return feed.snapshot(userId, null, settings.snapshotLimit())
                    .flatMap(snapshot -> resume(userId, null, snapshot, lastEventId));
        }
        return awaitOrder(userId, orderId)
                .switchIfEmpty(Mono.error(() -> new NotFound("order", orderId.toString())))
                .flatMap(snapshot -> resume(userId, orderId, snapshot, lastEventId));
    }

    /**
     * The order's snapshot, waiting up to {@code order-wait} for an order notify has not seen yet. Another
     * shopper's order looks exactly like an unknown one (the same wait, the same 404), so a stream never
     * tells whether someone else's order exists.
     */
    private Mono<R2dbcShopperFeed.Snapshot> awaitOrder(String userId, UUID orderId) {
        long polls = Math.max(0, settings.orderWait().toMillis() / ORDER_POLL.toMillis());
        return Mono.defer(() -> feed.snapshot(userId, orderId, 1))
                .filter(snapshot -> !snapshot.orders().isEmpty())
                .repeatWhenEmpty(attempts -> attempts.take(polls).delayElements(ORDER_POLL));
    }

    private Mono<Start> resume(String userId, UUID orderId, R2dbcShopperFeed.Snapshot snapshot, Long lastEventId) {
        boolean finished = orderId != null && snapshot.orders().getFirst().finalStatus();
        if (lastEventId == null) {
            return Mono.just(new Start(List.of(snapshotEvent(snapshot, false)), snapshot.position(), finished));
        }
        return feed.replayable(userId, lastEventId)
                .flatMap(replayable -> replayable
                        ? replay(userId, orderId, lastEventId, finished)
                        : Mono.just(new Start(List.of(snapshotEvent(snapshot, true)), snapshot.position(), finished)));
    }

    /** Every change after {@code lastEventId}; nothing of a finished order means the client saw its end. */
    private Mono<Start> replay(String userId, UUID orderId, long lastEventId, boolean finished) {
        return feed.since(userId, lastEventId)
                .collectList()
                .map(missed -> {
                    List<LiveEvent> shown = missed.stream()
                            .filter(event -> orderId == null || orderId.equals(event.orderId()))
                            .toList();
                    if (finished && shown.isEmpty()) {
                        return Start.FINISHED;
                    }
                    long position = missed.isEmpty() ? lastEventId : missed.getLast().id();
                    boolean ends = orderId != null && shown.stream().anyMatch(LiveEvent::finalStatus);
                    return new Start(shown.stream().map(OrderStreams::change).toList(), position, ends);
                });
    }

    /**
     * The opening comment, where the stream starts, then the buffer's changes (and heartbeats). The buffer
     * ends the stream when the token expires ({@link StreamTicker}); one order's stream also ends after its
     * final change.
     */
    private Flux<ServerSentEvent<String>> body(UUID orderId, Start start, ClientBuffer<LiveEvent> buffer) {
        Cursor cursor = new Cursor(start.position());
        Flux<ServerSentEvent<String>> changes = start.ends() ? Flux.empty() : buffer.items()
                .concatMap(event -> event.heartbeat() ? Flux.just(event) : cursor.next(feed, event), 1)
                .filter(event -> event.heartbeat() || orderId == null || orderId.equals(event.orderId()))
                .takeUntil(event -> !event.heartbeat() && orderId != null && event.finalStatus())
                .map(event -> event.heartbeat() ? HEARTBEAT : change(event));
        // the snapshot is handed over once and then let go: a concat keeps its sources for the stream's whole life
        AtomicReference<List<ServerSentEvent<String>>> first = new AtomicReference<>(start.events());
        return Flux.concat(Mono.just(opened(settings.retry())), Flux.defer(() -> Flux.fromIterable(taken(first))), changes);
    }

    private static <T> List<T> taken(AtomicReference<List<T>> once) {
        List<T> taken = once.getAndSet(null);
        return taken == null ? List.of() : taken;
    }

    /** Shoppers' streams open on this instance. */
    public int subscribers() {
        return hub.subscribers();
    }

    /**
     * Comments every {@code heartbeat} beside the events, until they end. Small prefetches, so the events
     * waiting for a client are the ones in its {@link ClientBuffer} (the default of 256 here would let a
     * stalled client hold that many more, and allocate room for them in every stream).
     */
    public static <T> Flux<ServerSentEvent<T>> withHeartbeats(Flux<ServerSentEvent<T>> events, Duration heartbeat) {
        return events.publish(shared -> Flux.merge(1, shared, Flux.interval(heartbeat)
                .onBackpressureDrop()
                .map(tick -> ServerSentEvent.<T>builder().comment("heartbeat").build())
                .takeUntilOther(shared.then())), HEARTBEAT_PREFETCH);
    }

    /** The first thing on every stream, so the client (and the gateway) sees it open at once; with the retry hint. */
    public static ServerSentEvent<String> opened(Duration retry) {
        return ServerSentEvent.<String>builder().comment("stream open").retry(retry).build();
    }

    private ServerSentEvent<String> snapshotEvent(R2dbcShopperFeed.Snapshot snapshot, boolean lastEventIdTooOld) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("orders", snapshot.orders());
        data.put("lastEventIdTooOld", lastEventIdTooOld);
        return ServerSentEvent.builder(json.writeValueAsString(data))
                .id(Long.toString(snapshot.position()))
                .event(SNAPSHOT)
                .build();
    }

    private static ServerSentEvent<String> change(LiveEvent event) {
        return ServerSentEvent.builder(event.body())
                .id(Long.toString(event.id()))
                .event(CHANGE)
                .build();
    }

    /** How long a stream may run: until its token expires. */
    public static Duration untilExpiry(Instant expiresAt) {
        if (expiresAt == null) {
            return Duration.ofDays(365);
        }
        Duration left = Duration.between(Instant.now(), expiresAt);
        return left.isNegative() ? Duration.ZERO : left;
    }

    /**
     * @param events   what the stream sends after its opening comment
     * @param position the shopper's feed position those events reach: later changes follow from here
     * @param ends     the order's final change is among them: the stream ends after them
     */
    private record Start(List<ServerSentEvent<String>> events, long position, boolean ends) {
        static final Start FINISHED = new Start(List.of(), -1, true);
    }

    /**
     * Where one stream is in the shopper's feed. Only its own stream's {@code concatMap} touches it, one
     * change at a time, so it needs no lock.
     */
    private static final class Cursor {

        private long position;

        Cursor(long position) {
            this.position = position;
        }

        /** The announced change if it is the next one; nothing if seen; else (a gap, a wake-up) the feed since here. */
        Flux<LiveEvent> next(R2dbcShopperFeed feed, LiveEvent event) {
            if (event.complete() && event.id() <= position) {
                return Flux.empty();
            }
            if (event.complete() && event.id() == position + 1) {
                position = event.id();
                return Flux.just(event);
            }
            return Flux.defer(() -> feed.since(event.userId(), position))
                    .filter(missed -> missed.id() > position)
                    .doOnNext(missed -> position = missed.id());
        }
    }
}
