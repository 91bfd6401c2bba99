package dev.surge.order.flashsale;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;

import dev.surge.service.web.NotFound;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * A flash sale's waiting room in Redis: a fair first-come queue, one place per shopper (taking a place
 * again keeps it), and an admission clock that lets the next shoppers in at the sale's pace, never more
 * at once than the gate has units for. An admitted shopper gets a signed token ({@link AdmissionTokens})
 * that "buy now" needs during the sale; an admission not used within its lifetime lapses, and its turn
 * goes to the next shopper. Every instance runs the clock; the script holds the pace in Redis, so two
 * instances admit no faster than one.
 *
 * <p>Keys beside the gate's ({@link RedisStockGate}), none with a TTL: {@code :room} (hash {@code seq},
 * {@code head}, {@code last}, {@code credit}), {@code :line} (list of shoppers in place order),
 * {@code :places} (hash shopper to place number) and {@code :admitted} (sorted set, shopper scored by
 * when the admission lapses). A shopper's position is their place number minus {@code head}, so a
 * tick tells every waiting shopper their position with one number.
 */
@Component
public class WaitingRoom {

    private static final Logger log = LoggerFactory.getLogger(WaitingRoom.class);

    /**
     * KEYS gate, room, line, places, admitted, shoppers; ARGV shopper, now (epoch ms). A place for the
     * shopper, or the one they hold: {'sold-out'}, {'limit', limit, bought}, {'admitted', lapses at},
     * {'waiting', place}; {'rebuild'} when the gate is missing.
     */
    private static final RedisScript<List> JOIN = LuaScript.of("""
            local sale = redis.call('HMGET', KEYS[1], 'left', 'limit')
            if not sale[1] then
              return {'rebuild'}
            end
            local shopper = ARGV[1]
            local now = tonumber(ARGV[2])
            if tonumber(sale[1]) <= 0 then
              return {'sold-out'}
            end
            local bought = tonumber(redis.call('HGET', KEYS[6], shopper) or '0')
            if bought >= tonumber(sale[2]) then
              return {'limit', sale[2], tostring(bought)}
            end
            local lapses = redis.call('ZSCORE', KEYS[5], shopper)
            if lapses and tonumber(lapses) > now then
              return {'admitted', lapses}
            end
            local head = tonumber(redis.call('HGET', KEYS[2], 'head') or '0')
            local place = redis.call('HGET', KEYS[4], shopper)
            if place and tonumber(place) > head then
              return {'waiting', place}
            end
            -- a new shopper, or one whose turn came and passed: a place at the end
            local seq = redis.call('HINCRBY', KEYS[2], 'seq', 1)
            redis.call('HSETNX', KEYS[2], 'head', 0)
            redis.call('HSET', KEYS[4], shopper, seq)
            redis.call('RPUSH', KEYS[3], shopper)
            return {'waiting', tostring(seq)}""", List.class);

    /**
     * KEYS gate, room, line, admitted; ARGV now (epoch ms), admission lifetime (ms), this instance's
     * verdict on checkout ({@code UP} or {@code DOWN}). One tick of the clock: lapsed admissions go;
     * an adaptive pace moves, at most once a second whichever instance ticks (down by 30 % on a
     * {@code DOWN}, up by a tenth of its ceiling on an {@code UP} while shoppers wait, never above the
     * ceiling or below 1); then as many shoppers are let in as the pace's credit (at most one second's
     * worth), the gate's units not yet promised (an open admission holds the shopper limit's worth) and
     * the queue allow. Sold out, the line is emptied (everyone waiting is told). Answers {'rebuild'} or
     * {status, seq, head, left, admitted, rate, starts}.
     */
    private static final RedisScript<List> TICK = LuaScript.of("""
            local sale = redis.call('HMGET', KEYS[1], 'left', 'rate', 'starts', 'adaptive', 'ceiling', 'limit')
            if not sale[1] then
              return {'rebuild'}
            end
            local now = tonumber(ARGV[1])
            local left = tonumber(sale[1])
            local rate = tonumber(sale[2] or '50')
            local starts = tonumber(sale[3])
            redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', now)
            local admitted = redis.call('ZCARD', KEYS[4])
            local room = redis.call('HMGET', KEYS[2], 'seq', 'head', 'last', 'credit', 'adjusted')
            local seq = tonumber(room[1] or '0')
            local head = tonumber(room[2] or '0')
            if sale[4] == '1' and now >= starts and left > 0 and now - tonumber(room[5] or '0') >= 1000 then
              local ceiling = tonumber(sale[5])
              if ARGV[3] == 'DOWN' then
                rate = math.max(1, math.floor(rate * 0.7))
              elseif head < seq then
                rate = math.min(ceiling, rate + math.max(1, math.floor(ceiling / 10)))
              end
              redis.call('HSET', KEYS[1], 'rate', rate)
              redis.call('HSET', KEYS[2], 'adjusted', now)
            end
            local status = 'NOT_STARTED'
            local limit = tonumber(sale[6] or '1')
            if left <= 0 then
              status = 'SOLD_OUT'
              -- everyone waiting is told at once; a unit that comes back later (a failed payment) goes to
              -- whoever takes a place then, not to a line of shoppers who have left
              if head < seq then
                redis.call('DEL', KEYS[3])
                head = seq
                redis.call('HSET', KEYS[2], 'head', head)
              end
            elseif now >= starts then
              status = 'OPEN'
              local last = math.max(tonumber(room[3] or ARGV[1]), starts)
              -- a fresh room starts with a full second's worth: the first shoppers in need not wait at all
              local credit = math.min(rate, tonumber(room[4] or sale[2] or '50') + rate * math.max(0, now - last) / 1000)
              local lifetime = tonumber(ARGV[2])
              -- each open admission may buy up to the shopper's limit: that many units are promised to it
              while credit >= 1 and admitted * limit < left and head < seq do
                local shopper = redis.call('LPOP', KEYS[3])
                if not shopper then
                  -- the list was lost while the counters were not: nobody is left waiting
                  head = seq
                  break
                end
                redis.call('ZADD', KEYS[4], now + lifetime, shopper)
                head = head + 1
                admitted = admitted + 1
                credit = credit - 1
              end
              redis.call('HSET', KEYS[2], 'head', head, 'last', now, 'credit', tostring(credit))
            end
            return {status, tostring(seq), tostring(head), tostring(left), tostring(admitted), tostring(rate), tostring(starts)}""",
            List.class);

    private final ReactiveStringRedisTemplate redis;
    private final RedisStockGate gate;
    private final AdmissionTokens tokens;
    private final FlashSaleProperties properties;
    private final MeterRegistry meters;
    private final SaleCheckoutLoad load;
    private final Map<String, Sinks.Many<RoomState>> rooms = new ConcurrentHashMap<>();

    WaitingRoom(ReactiveStringRedisTemplate redis, RedisStockGate gate, AdmissionTokens tokens, FlashSaleProperties properties,
            MeterRegistry meters, SaleCheckoutLoad load) {
        this.load = load;
        this.redis = redis;
        this.gate = gate;
        this.tokens = tokens;
        this.properties = properties;
        this.meters = meters;
    }

    /** A shopper's standing in the room. */
    sealed interface Standing permits Waiting, Admitted {
    }

    /** In the queue: place number and the room as the last tick left it. */
    record Waiting(String sku, long place, RoomState room) implements Standing {
    }

    /** Let in: the token "buy now" needs, until it lapses. */
    record Admitted(String sku, String admission, Instant expiresAt) implements Standing {
    }

    /**
     * Takes a place for the shopper, or finds the one they hold, then runs one tick, so that a shopper
     * who finds the room empty is let in at once. {@code 404} with no sale, the sale's refusals when
     * it is sold out or the shopper bought their limit, {@link GatePaused} while Redis is away.
     */
    Mono<Standing> join(String sku, String shopper) {
        return join(sku, shopper, 1)
                .onErrorMap(RedisStockGate.Away.class, away -> gate.paused(away.getCause()));
    }

    private Mono<Standing> join(String sku, String shopper, int attempt) {
        long now = Instant.now().toEpochMilli();
        return gate.call(JOIN, List.of(gate.gate(sku), gate.room(sku), gate.line(sku), gate.places(sku), gate.admitted(sku),
                        gate.shoppers(sku)), List.of(shopper, Long.toString(now)))
                .map(WaitingRoom::strings)
                .flatMap(answer -> switch (answer.getFirst()) {
                    case "rebuild" -> attempt > 1
                            ? Mono.error(new NotFound("flash sale", sku))
                            : gate.rebuild(sku).then(Mono.defer(() -> join(sku, shopper, attempt + 1)));
                    case "sold-out" -> Mono.error(SaleRefusal.soldOut(sku, 0, false));
                    case "limit" -> Mono.error(SaleRefusal.overLimit(sku, Integer.parseInt(answer.get(1)),
                            Integer.parseInt(answer.get(2))));
                    case "admitted" -> Mono.just(admitted(sku, shopper, Long.parseLong(answer.get(1))));
                    case "waiting" -> {
                        long place = Long.parseLong(answer.get(1));
                        // this tick's state answers the joining shopper only: published, every join would
                        // wake every watcher, thousands of them a second in a sale's first rush; they get
                        // the clock's next tick
                        yield advance(sku).flatMap(room -> standing(room, shopper, place));
                    }
                    default -> Mono.error(new IllegalStateException("the waiting room answered " + answer));
                })
                .doOnNext(standing -> meters.counter("surge.flashsale.waiting.joins",
                        "result", standing instanceof Admitted ? "admitted" : "waiting").increment());
    }

    /** Where a place stands in the room: admitted once its turn came (the admission looked up), else waiting. */
    Mono<Standing> standing(RoomState room, String shopper, long place) {
        if (room.head() < place || room.status() == RoomState.Status.PAUSED) {
            return Mono.just(new Waiting(room.sku(), place, room));
        }
        return admission(room.sku(), shopper)
                .map(lapses -> (Standing) admitted(room.sku(), shopper, lapses.toEpochMilli()))
                .defaultIfEmpty(new Waiting(room.sku(), place, room));
    }

    /** The shopper's place in the sku's queue, if they hold one (an admitted shopper's stays, below {@code head}). */
    Mono<Long> place(String sku, String shopper) {
        return redis.<String, String>opsForHash().get(gate.places(sku), shopper)
                .map(Long::parseLong)
                .timeout(properties.redisTimeout());
    }

    /** When the shopper's admission to the sku lapses, if they hold one. */
    Mono<Instant> admission(String sku, String shopper) {
        return redis.opsForZSet().score(gate.admitted(sku), shopper)
                .map(lapses -> Instant.ofEpochMilli(lapses.longValue()))
                .filter(lapses -> lapses.isAfter(Instant.now()))
                .timeout(properties.redisTimeout());
    }

    private Admitted admitted(String sku, String shopper, long lapsesAt) {
        Instant expiresAt = Instant.ofEpochMilli(lapsesAt);
        return new Admitted(sku, tokens.issue(sku, shopper, expiresAt), expiresAt);
    }

    /** The sku's room as every tick leaves it, the latest at once to each new subscriber. */
    Flux<RoomState> states(String sku) {
        return room(sku).asFlux();
    }

    private Sinks.Many<RoomState> room(String sku) {
        return rooms.computeIfAbsent(sku, ignored -> Sinks.many().replay().latest());
    }

    /** One tick of one sale's clock, published to its watchers; a missing gate is rebuilt first. */
    Mono<RoomState> tick(String sku) {
        return advance(sku).doOnNext(state -> room(sku).tryEmitNext(state));
    }

    /** One tick of one sale's clock: lets the next shoppers in as the pace allows; a missing gate is rebuilt first. */
    private Mono<RoomState> advance(String sku) {
        return gate.call(TICK, List.of(gate.gate(sku), gate.room(sku), gate.line(sku), gate.admitted(sku)),
                        List.of(Long.toString(Instant.now().toEpochMilli()),
                                Long.toString(properties.waitingRoom().admissionLifetime().toMillis()), load.verdict().name()))
                .map(WaitingRoom::strings)
                .flatMap(answer -> answer.getFirst().equals("rebuild")
                        ? gate.rebuild(sku).then(Mono.empty())
                        : Mono.just(new RoomState(sku, RoomState.Status.valueOf(answer.get(0)), Long.parseLong(answer.get(1)),
                                Long.parseLong(answer.get(2)), Integer.parseInt(answer.get(3)), Integer.parseInt(answer.get(4)),
                                Integer.parseInt(answer.get(5)), Instant.ofEpochMilli(Long.parseLong(answer.get(6))))))
                .onErrorResume(RedisStockGate.Away.class, away -> {
                    log.debug("Waiting room of {} paused: {}", sku, away.getCause().toString());
                    return Mono.just(RoomState.paused(sku));
                });
    }

    /**
     * Every sale's clock, once per {@code tick}, one sale after the other; registered with the service's
     * stream lifecycle. A sale without watchers is ticked too: shoppers who only poll are let in as well.
     */
    Flux<RoomState> clock() {
        return Flux.interval(properties.waitingRoom().tick())
                .onBackpressureDrop()
                .concatMap(tick -> sales()
                        .concatMap(this::tick), 1);
    }

    /** The skus with a sale, from the gate's index (rebuilt from PostgreSQL when Redis lost it); Redis away: the known rooms, paused. */
    private Flux<String> sales() {
        return redis.opsForSet().members(gate.index())
                .collectList()
                .timeout(properties.redisTimeout())
                // no members at all: the index itself is gone (it always holds its placeholder)
                .flatMapMany(skus -> skus.isEmpty() ? gate.rebuildIndex().thenMany(Flux.empty())
                        : Flux.fromIterable(skus).filter(sku -> !sku.equals(RedisStockGate.PRESENT)))
                .onErrorResume(Exception.class, away -> {
                    rooms.forEach((sku, room) -> room.tryEmitNext(RoomState.paused(sku)));
                    return Flux.empty();
                });
    }

    /** Waiting shoppers and open admissions of a sale, for ops, read without moving the clock; empty when Redis does not answer. */
    Mono<Optional<RoomState>> counts(String sku) {
        return Mono.zip(redis.<String, String>opsForHash().multiGet(gate.room(sku), List.of("seq", "head")),
                        redis.opsForZSet().count(gate.admitted(sku),
                                Range.rightUnbounded(Range.Bound.exclusive((double) Instant.now().toEpochMilli()))),
                        redis.<String, String>opsForHash().get(gate.gate(sku), "rate").defaultIfEmpty("0"))
                .map(found -> Optional.of(new RoomState(sku, RoomState.Status.OPEN, number(found.getT1().get(0)),
                        number(found.getT1().get(1)), 0, found.getT2().intValue(), Integer.parseInt(found.getT3()), null)))
                .timeout(properties.redisTimeout())
                .onErrorReturn(Optional.empty());
    }

    private static long number(String value) {
        return value == null ? 0 : Long.parseLong(value);
    }

    private static List<String> strings(List<?> answer) {
        return answer.stream().map(String::valueOf).toList();
    }
}
