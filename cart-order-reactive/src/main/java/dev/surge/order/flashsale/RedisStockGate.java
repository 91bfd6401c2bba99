package dev.surge.order.flashsale;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The flash sales' stock gate in Redis: before checkout's PostgreSQL statement runs, one Lua call
 * takes a buy-now's units of every sale sku from the gate and counts them against the shopper's
 * limit, or refuses the whole request (sold out, over the limit, not started) without PostgreSQL.
 * PostgreSQL's statement stays the truth: what the gate let through and PostgreSQL did not take from
 * the sale is given back ({@link Admission}).
 *
 * <p>Keys (none has a TTL: Redis must never evict them, see the README): {@code flash-sales}, the set
 * of skus with a sale (plus the member {@code -}, so it exists while there is none);
 * {@code flash-sale:<sku>}, a hash of {@code units}, {@code left}, {@code limit}, {@code starts}
 * (epoch ms); {@code flash-sale:<sku>:shoppers}, a hash of each shopper's admitted units. A missing
 * key (Redis lost its data) is rebuilt from PostgreSQL before anyone is admitted, by a script that
 * writes only while the key is still missing, so two rebuilds at once cannot double the units.
 */
@Component
public class RedisStockGate {

    private static final Logger log = LoggerFactory.getLogger(RedisStockGate.class);

    /** How often one admission rebuilds a missing key and asks again before it gives up (503). */
    private static final int ATTEMPTS = 3;

    /** The index's member that keeps it in existence while no sale exists; never a sku (the sku rule). */
    static final String PRESENT = "-";

    /**
     * KEYS[1] index; KEYS[5i-3] to KEYS[5i+1] gate, shoppers, waiting room admissions, in-flight and
     * in-flight admissions of line i. ARGV[1] shopper, ARGV[2] now (epoch ms), ARGV[3] the sku the
     * request's admission token lets the shopper buy ({@code ""} for none), ARGV[4] {@code 1} when a
     * sale's buy-now needs one, ARGV[5] until when that admission runs (epoch ms, {@code 0} for none);
     * ARGV[2i+4], ARGV[2i+5] sku and quantity of line i. Checks every line of a sale sku first and
     * takes only when all pass, so a refused request takes nothing. A sale line needs the token's sku
     * and an admission still open in the room; a taken line's admission is used up (a second buy needs a
     * new place), which lets the waiting room admit the next shopper. A taken line notes the shopper as
     * in flight, with the admission it used, for {@link StrandedUnits}; over the limit answers when the
     * gate last let the shopper through while that is still noted. A sku the index does not hold but
     * whose gate exists answers {'unindexed', sku}: the index may have been rebuilt from PostgreSQL
     * before the sale's commit, or the gate outlived a setup that was rolled back, and PostgreSQL
     * says which; passing it ungated would skip the sale's admission and limit checks here.
     */
    private static final RedisScript<List> ADMIT = LuaScript.of("""
            if redis.call('EXISTS', KEYS[1]) == 0 then
              return {'rebuild-index'}
            end
            local shopper = ARGV[1]
            local now = tonumber(ARGV[2])
            local gated = {}
            for i = 1, (#ARGV - 5) / 2 do
              local sku = ARGV[4 + 2 * i]
              local indexed = redis.call('SISMEMBER', KEYS[1], sku) == 1
              if not indexed and redis.call('EXISTS', KEYS[5 * i - 3]) == 1 then
                return {'unindexed', sku}
              end
              if indexed then
                local qty = tonumber(ARGV[5 + 2 * i])
                local sale = redis.call('HMGET', KEYS[5 * i - 3], 'left', 'limit', 'starts')
                if not sale[1] then
                  return {'rebuild', sku}
                end
                local mine = tonumber(redis.call('HGET', KEYS[5 * i - 2], shopper) or '0')
                if tonumber(sale[3]) > now then
                  return {'not-started', sku, sale[3]}
                end
                if tonumber(sale[1]) < qty then
                  return {'sold-out', sku, sale[1], tostring(mine)}
                end
                if mine + qty > tonumber(sale[2]) then
                  -- with when the gate last let the shopper through, if StrandedUnits has not looked at it yet
                  return {'limit', sku, sale[2], tostring(mine), redis.call('ZSCORE', KEYS[5 * i], shopper) or ''}
                end
                if ARGV[4] == '1' then
                  -- the token's sku, and an admission still open in the room (not used up, not lapsed)
                  local open = redis.call('ZSCORE', KEYS[5 * i - 1], shopper)
                  if ARGV[3] ~= sku or not open or tonumber(open) <= now then
                    return {'admission', sku, tostring(mine)}
                  end
                end
                gated[#gated + 1] = i
              end
            end
            local admitted = {'admitted'}
            for _, i in ipairs(gated) do
              local sku = ARGV[4 + 2 * i]
              local qty = tonumber(ARGV[5 + 2 * i])
              redis.call('HINCRBY', KEYS[5 * i - 3], 'left', -qty)
              redis.call('HINCRBY', KEYS[5 * i - 2], shopper, qty)
              redis.call('ZREM', KEYS[5 * i - 1], shopper)
              redis.call('ZADD', KEYS[5 * i], now, shopper)
              redis.call('HSET', KEYS[5 * i + 1], shopper, ARGV[3] == sku and ARGV[5] or '0')
              admitted[#admitted + 1] = sku
            end
            return admitted""", List.class);

    /**
     * KEYS[1] gate, KEYS[2] shoppers, KEYS[3] waiting room admissions; ARGV[1] shopper, ARGV[2] quantity,
     * ARGV[3] until when the request's admission ran (epoch ms, {@code 0} for none to restore), ARGV[4]
     * now, ARGV[5] the most the gate may hold afterwards ({@code -1}: the sale's units). Only into a gate
     * that exists: one rebuilt meanwhile was built from PostgreSQL, which never counted the unit. Never
     * above the sale's units, nor above what PostgreSQL said is left when it refused the unit as sold
     * out. A refused request's admission is held again until it lapses, so the waiting room goes on
     * counting it as promised.
     */
    private static final RedisScript<Long> GIVE_BACK = LuaScript.of("""
            if redis.call('EXISTS', KEYS[1]) == 0 then
              return 0
            end
            local most = tonumber(redis.call('HGET', KEYS[1], 'units'))
            local known = tonumber(ARGV[5] or '-1')
            if known >= 0 and known < most then
              most = known
            end
            if redis.call('HINCRBY', KEYS[1], 'left', ARGV[2]) > most then
              redis.call('HSET', KEYS[1], 'left', most)
            end
            if redis.call('HINCRBY', KEYS[2], ARGV[1], -tonumber(ARGV[2])) <= 0 then
              redis.call('HDEL', KEYS[2], ARGV[1])
            end
            if tonumber(ARGV[3]) > tonumber(ARGV[4]) then
              redis.call('ZADD', KEYS[3], 'NX', ARGV[3], ARGV[1])
            end
            return 1""", Long.class);

    /** KEYS[1] gate, KEYS[2] shoppers; ARGV[1] shopper, ARGV[2] quantity. Only into a gate that exists (else its rebuild counts it). */
    private static final RedisScript<Long> TAKE_AGAIN = LuaScript.of("""
            if redis.call('EXISTS', KEYS[1]) == 0 then
              return 0
            end
            redis.call('HINCRBY', KEYS[1], 'left', -tonumber(ARGV[2]))
            redis.call('HINCRBY', KEYS[2], ARGV[1], ARGV[2])
            return 1""", Long.class);

    /**
     * KEYS[1] gate, KEYS[2] shoppers; ARGV[1..6] units, left, limit, starts, admission rate, adaptive
     * ({@code 1} or {@code 0}); then shopper, quantity pairs, all computed from PostgreSQL. Writes only while the gate is missing: of
     * two rebuilds at once the second changes nothing. An adaptive pace starts again at a quarter of its
     * ceiling, as at the sale's start: what it had learnt of checkout went with the key, and a sale
     * running at full pace is when an overrun costs most.
     */
    private static final RedisScript<Long> REBUILD = LuaScript.of("""
            if redis.call('EXISTS', KEYS[1]) == 1 then
              return 0
            end
            redis.call('DEL', KEYS[2])
            for i = 7, #ARGV, 2 do
              redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1])
            end
            local rate = tonumber(ARGV[5])
            if ARGV[6] == '1' then
              rate = math.max(1, math.floor(rate / 4))
            end
            redis.call('HSET', KEYS[1], 'units', ARGV[1], 'left', ARGV[2], 'limit', ARGV[3], 'starts', ARGV[4], 'rate', rate,
                'ceiling', ARGV[5], 'adaptive', ARGV[6])
            return 1""", Long.class);

    /** KEYS[1] index; ARGV every sku with a sale, from PostgreSQL. Writes only while the index is missing. */
    private static final RedisScript<Long> REBUILD_INDEX = LuaScript.of("""
            if redis.call('EXISTS', KEYS[1]) == 1 then
              return 0
            end
            for i = 1, #ARGV do
              redis.call('SADD', KEYS[1], ARGV[i])
            end
            return 1""", Long.class);

    /**
     * KEYS[1] gate, KEYS[2] shoppers, KEYS[3] index, KEYS[4], KEYS[5] in-flight and its admissions;
     * ARGV[1..4] units, left, limit, starts, ARGV[5] sku,
     * ARGV[6] admission rate, ARGV[7] adaptive ({@code 1} or {@code 0}): an adaptive pace starts at a quarter
     * of its ceiling. A sale set up or changed before it starts: nobody has bought from it, so
     * the gate is written whole. A missing index is left to its rebuild from PostgreSQL, which then
     * holds the sale. The waiting room's places are kept: shoppers may queue before the start.
     */
    private static final RedisScript<Long> OPEN = LuaScript.of("""
            redis.call('DEL', KEYS[1], KEYS[2], KEYS[4], KEYS[5])
            local rate = tonumber(ARGV[6])
            if ARGV[7] == '1' then
              rate = math.max(1, math.floor(rate / 4))
            end
            redis.call('HSET', KEYS[1], 'units', ARGV[1], 'left', ARGV[2], 'limit', ARGV[3], 'starts', ARGV[4], 'rate', rate,
                'ceiling', ARGV[6], 'adaptive', ARGV[7])
            if redis.call('EXISTS', KEYS[3]) == 1 then
              redis.call('SADD', KEYS[3], ARGV[5])
            end
            return 1""", Long.class);

    /**
     * KEYS[1] index; ARGV[1] sku. A sale's sku back into the index, only while the index exists: one
     * lost meanwhile is rebuilt whole from PostgreSQL by the next buy-now, and a set made here of this
     * sku alone would hide that it was lost.
     */
    private static final RedisScript<Long> INDEX_SALE = LuaScript.of("""
            if redis.call('EXISTS', KEYS[1]) == 0 then
              return 0
            end
            return redis.call('SADD', KEYS[1], ARGV[1])""", Long.class);

    /**
     * KEYS[1] index, KEYS[2] gate, KEYS[3] shoppers; ARGV[1] sku. A gate with no sale behind it goes,
     * unless the sku is in the index by now (a setup that ran again meanwhile wrote both).
     */
    private static final RedisScript<Long> DROP_GATE = LuaScript.of("""
            if redis.call('SISMEMBER', KEYS[1], ARGV[1]) == 1 then
              return 0
            end
            return redis.call('DEL', KEYS[2], KEYS[3])""", Long.class);

    private final ReactiveStringRedisTemplate redis;
    private final R2dbcFlashSaleRepository sales;
    private final FlashSaleProperties properties;
    private final MeterRegistry meters;

    RedisStockGate(ReactiveStringRedisTemplate redis, R2dbcFlashSaleRepository sales, FlashSaleProperties properties, MeterRegistry meters) {
        this.redis = redis;
        this.sales = sales;
        this.properties = properties;
        this.meters = meters;
    }

    /**
     * Admits a buy-now: takes the units of every line whose sku is in a flash sale from the gate, in
     * one step, or refuses the whole request with a {@link SaleRefusal}. Lines of other skus pass
     * untouched. Redis away or too slow: {@link GatePaused} when a line's sku is in a sale (nobody gets
     * in unchecked; PostgreSQL tells), else an admission of nothing (checkout works without Redis).
     *
     * <p>While the waiting room is on ({@code surge.flash-sales.waiting-room.required}), a sale's line
     * also needs the shopper's admission to that sku ({@code 403 …/problems/flash-sale-admission-required});
     * a taken line uses it up. With Redis away, a request whose every sale line is admitted goes on to
     * PostgreSQL alone, whose checks hold the units and the limit: admitted buyers still buy.
     *
     * @param lines sku to quantity, in the request's order
     * @param admission the request's verified admission token; null for none
     */
    public Mono<Admission> admit(String userId, Map<String, Integer> lines, AdmissionTokens.Admitted admission) {
        String admittedSku = admission == null ? null : admission.sku();
        return admit(userId, lines, admittedSku, admission, 1)
                .onErrorResume(Away.class, away -> pausedIfOnSale(userId, lines, admittedSku, away));
    }

    private Mono<Admission> admit(String userId, Map<String, Integer> lines, String admittedSku,
            AdmissionTokens.Admitted admission, int attempt) {
        List<String> keys = new ArrayList<>();
        long now = Instant.now().toEpochMilli();
        List<String> args = new ArrayList<>(List.of(userId, Long.toString(now),
                admittedSku == null ? "" : admittedSku, properties.waitingRoom().required() ? "1" : "0",
                admission == null ? "0" : Long.toString(admission.expiresAt().toEpochMilli())));
        keys.add(index());
        lines.forEach((sku, quantity) -> {
            keys.add(gate(sku));
            keys.add(shoppers(sku));
            keys.add(admitted(sku));
            keys.add(inFlight(sku));
            keys.add(inFlightAdmissions(sku));
            args.add(sku);
            args.add(quantity.toString());
        });
        return call(ADMIT, keys, args)
                .map(RedisStockGate::strings)
                .flatMap(answer -> {
                    String sku = answer.size() > 1 ? answer.get(1) : null;
                    return switch (answer.getFirst()) {
                        case "admitted" -> Mono.just(admitted(userId, lines, answer.subList(1, answer.size()), admission));
                        case "rebuild-index" -> again(rebuildIndex(), userId, lines, admittedSku, admission, attempt);
                        case "rebuild" -> again(rebuild(sku), userId, lines, admittedSku, admission, attempt);
                        case "unindexed" -> again(reindex(sku), userId, lines, admittedSku, admission, attempt);
                        case "not-started" -> refused("not-started", SaleRefusal.notStarted(sku,
                                Instant.ofEpochMilli(Long.parseLong(answer.get(2)))));
                        case "sold-out" -> refused("sold-out", SaleRefusal.soldOut(sku, Integer.parseInt(answer.get(2)),
                                Integer.parseInt(answer.get(3)) > 0));
                        case "limit" -> overLimit(userId, sku, lines.get(sku), Integer.parseInt(answer.get(2)),
                                Integer.parseInt(answer.get(3)), answer.get(4), now);
                        case "admission" -> refused("admission-required", SaleRefusal.admissionRequired(sku,
                                Integer.parseInt(answer.get(2)) > 0));
                        default -> Mono.error(new IllegalStateException("the gate answered " + answer));
                    };
                });
    }

    /** The admission of a request that takes nothing from any gate (a cart order). */
    public Admission none() {
        return new Admission("", Map.of(), null);
    }

    /**
     * Over the limit as the gate counts. For a shopper it let through lately ({@code inFlightSince} not
     * empty: {@link StrandedUnits} has not looked at them yet), PostgreSQL says whether the gate counts
     * units no order holds: a buy still being placed, or one cut off on its way. Then the shopper is told
     * so, not "purchase limit reached" (they may have no order), as long as the request would be within
     * the limit once those units are settled. Everybody else is answered from Redis alone.
     */
    private Mono<Admission> overLimit(String userId, String sku, int quantity, int limit, int counted, String inFlightSince,
            long now) {
        if (inFlightSince.isEmpty()) {
            return refused("purchase-limit", SaleRefusal.overLimit(sku, limit, counted));
        }
        return sales.purchases(sku, List.of(userId))
                .map(bought -> bought.getOrDefault(userId, 0))
                .flatMap(bought -> bought < counted && bought + quantity <= limit
                        ? refused("unsettled", SaleRefusal.unsettled(sku,
                                settledWithin((long) Double.parseDouble(inFlightSince), now), counted))
                        : refused("purchase-limit", SaleRefusal.overLimit(sku, limit, counted)));
    }

    /**
     * About how many seconds until a buy let through at {@code since} is settled: it ends, or
     * {@link StrandedUnits} finds it stranded once it is {@code stranded-after} old, within a check (an
     * estimate: a round skipped while PostgreSQL or Redis is away comes later).
     */
    private long settledWithin(long since, long now) {
        long by = since + properties.strandedAfter().toMillis() + properties.strandedCheck().toMillis();
        return Math.max(1, (by - now + 999) / 1000);
    }

    /** The script's answer: a list of strings (the template reads every element with its string serializer). */
    private static List<String> strings(List<?> answer) {
        return answer.stream().map(String::valueOf).toList();
    }

    private Admission admitted(String userId, Map<String, Integer> lines, List<String> gatedSkus,
            AdmissionTokens.Admitted admission) {
        Map<String, Integer> gated = new LinkedHashMap<>();
        gatedSkus.forEach(sku -> gated.put(sku, lines.get(sku)));
        count(gated.isEmpty() ? "no-sale" : "admitted");
        return new Admission(userId, gated, admission);
    }

    private Mono<Admission> again(Mono<Void> rebuilt, String userId, Map<String, Integer> lines, String admittedSku,
            AdmissionTokens.Admitted admission, int attempt) {
        if (attempt >= ATTEMPTS) {
            // the keys keep disappearing under us: as good as Redis being away
            return Mono.error(new Away(new IllegalStateException("the gate's keys vanished " + attempt + " times")));
        }
        return rebuilt.then(Mono.defer(() -> admit(userId, lines, admittedSku, admission, attempt + 1)));
    }

    private <T> Mono<T> refused(String result, SaleRefusal refusal) {
        count(result);
        return Mono.error(refusal);
    }

    private Mono<Admission> pausedIfOnSale(String userId, Map<String, Integer> lines, String admittedSku, Away away) {
        Mono<Boolean> unadmittedSaleLine = sales.findAll(lines.keySet())
                .any(sale -> !sale.sku().equals(admittedSku) || !properties.waitingRoom().required());
        return Mono.zip(undoLost(userId, lines), unadmittedSaleLine, (undone, onSale) -> onSale)
                .flatMap(onSale -> {
                    if (!onSale) {
                        // no sale among the lines, or only the one the shopper was admitted to: checkout
                        // needs no gate, PostgreSQL's checks hold the sale's units and the shopper's limit
                        return Mono.just(none());
                    }
                    count("paused");
                    log.warn("Flash sale gate unavailable, buy-now refused: {}", away.getCause().toString());
                    return Mono.error(paused(away.getCause()));
                });
    }

    /**
     * An admission whose answer was lost (too slow) may have taken units all the same: they go back, or
     * they would stay taken for good. Had the script not run, the gate now admits a few more than are
     * left, which PostgreSQL refuses, and its refusal brings the gate down to what PostgreSQL has
     * ({@link Admission#soldOut}): the safe direction. Best effort, like every give-back.
     */
    private Mono<Boolean> undoLost(String userId, Map<String, Integer> lines) {
        return Flux.fromIterable(lines.entrySet())
                .concatMap(line -> call(GIVE_BACK, List.of(gate(line.getKey()), shoppers(line.getKey()), admitted(line.getKey())),
                        List.of(userId, line.getValue().toString(), "0", "0"))
                        .onErrorResume(Away.class, stillAway -> Mono.empty()))
                .then(Mono.just(true));
    }

    GatePaused paused(Throwable cause) {
        return new GatePaused("The flash sale's stock gate cannot be reached; nobody is let into the sale unchecked. "
                + "Nothing was ordered: try again shortly", properties.retryAfter(), cause);
    }

    /** Rebuilds the index of sale skus from PostgreSQL, unless another rebuild was first. */
    Mono<Void> rebuildIndex() {
        return sales.skus()
                .collectList()
                .flatMap(skus -> {
                    List<String> members = new ArrayList<>(skus);
                    members.add(PRESENT);
                    return call(REBUILD_INDEX, List.of(index()), members);
                })
                .doOnNext(written -> rebuilt("index", written))
                .then();
    }

    /**
     * A gate the index does not hold, as PostgreSQL has it: a sale's sku joins the index again; a gate
     * with no sale behind it (its setup rolled back after the gate was written) goes.
     */
    Mono<Void> reindex(String sku) {
        return sales.find(sku)
                .flatMap(sale -> call(INDEX_SALE, List.of(index()), List.of(sku))
                        .doOnNext(added -> {
                            if (added == 1) {
                                log.warn("Flash sale gate: {} was missing from the index; added from PostgreSQL", sku);
                                meters.counter("surge.flashsale.gate.rebuilds", "key", "index-member").increment();
                            }
                        }))
                .switchIfEmpty(Mono.defer(() -> call(DROP_GATE, List.of(index(), gate(sku), shoppers(sku)), List.of(sku))
                        .doOnNext(deleted -> {
                            if (deleted > 0) {
                                log.warn("Flash sale gate: {} had a gate but no sale; gate removed", sku);
                            }
                        })))
                .then();
    }

    /** Rebuilds one sale's gate from PostgreSQL, unless another rebuild was first; a sku with no sale leaves the index. */
    Mono<Void> rebuild(String sku) {
        return sales.find(sku)
                .flatMap(sale -> sales.purchases(sku)
                        .collectList()
                        .flatMap(purchases -> {
                            List<String> args = new ArrayList<>(List.of(Integer.toString(sale.units()),
                                    Integer.toString(sale.left()), Integer.toString(sale.perShopperLimit()),
                                    Long.toString(sale.startsAt().toEpochMilli()), Integer.toString(sale.admissionsPerSecond()),
                                    sale.adaptiveAdmission() ? "1" : "0"));
                            purchases.forEach(purchase -> {
                                args.add(purchase.userId());
                                args.add(Integer.toString(purchase.quantity()));
                            });
                            return call(REBUILD, List.of(gate(sku), shoppers(sku)), args);
                        })
                        .doOnNext(written -> rebuilt("gate", written)))
                .switchIfEmpty(Mono.defer(() -> redis.opsForSet().remove(index(), sku)
                        .timeout(properties.redisTimeout())
                        .onErrorMap(Exception.class::isInstance, Away::new)))
                .then();
    }

    private void rebuilt(String what, long written) {
        if (written == 1) {
            log.info("Flash sale gate: {} rebuilt from PostgreSQL", what);
            meters.counter("surge.flashsale.gate.rebuilds", "key", what).increment();
        }
    }

    /** Writes a sale's gate as PostgreSQL has it now; joins nothing, the caller orders it before its commit. */
    Mono<Void> open(FlashSale sale) {
        return call(OPEN, List.of(gate(sale.sku()), shoppers(sale.sku()), index(), inFlight(sale.sku()),
                inFlightAdmissions(sale.sku())), List.of(Integer.toString(sale.units()),
                Integer.toString(sale.left()), Integer.toString(sale.perShopperLimit()),
                Long.toString(sale.startsAt().toEpochMilli()), sale.sku(), Integer.toString(sale.admissionsPerSecond()),
                sale.adaptiveAdmission() ? "1" : "0"))
                .then()
                .onErrorMap(Away.class, away -> paused(away.getCause()));
    }

    /** What the gate would still admit of a sale; empty when it holds no key for it (or Redis did not answer). */
    Mono<Optional<Integer>> left(String sku) {
        return redis.<String, String>opsForHash().get(gate(sku), "left")
                .map(left -> Optional.of(Integer.parseInt(left)))
                .defaultIfEmpty(Optional.empty())
                .timeout(properties.redisTimeout())
                // only a figure shown to ops: without Redis the answer says nothing of the gate
                .onErrorReturn(Optional.empty());
    }

    private Mono<Void> giveBack(String userId, Map<String, Integer> units, AdmissionTokens.Admitted restored) {
        return giveBack(userId, units, restored, Map.of());
    }

    /** @param knownLeft per sku, what PostgreSQL said is left: the gate never holds more of it afterwards */
    private Mono<Void> giveBack(String userId, Map<String, Integer> units, AdmissionTokens.Admitted restored,
            Map<String, Integer> knownLeft) {
        return Flux.fromIterable(units.entrySet())
                .concatMap(unit -> call(GIVE_BACK, List.of(gate(unit.getKey()), shoppers(unit.getKey()), admitted(unit.getKey())),
                        List.of(userId, unit.getValue().toString(),
                                restored != null && restored.sku().equals(unit.getKey()) && !knownLeft.containsKey(unit.getKey())
                                        ? Long.toString(restored.expiresAt().toEpochMilli()) : "0",
                                Long.toString(Instant.now().toEpochMilli()),
                                Integer.toString(knownLeft.getOrDefault(unit.getKey(), -1))))
                        // the unit stays taken in the gate until it is rebuilt: the gate admits fewer, never more
                        .onErrorResume(Away.class, away -> {
                            meters.counter("surge.flashsale.gate.givebacks.missed").increment();
                            log.warn("Flash sale gate: {} unit(s) of {} not given back: {}", unit.getValue(), unit.getKey(),
                                    away.getCause().toString());
                            return Mono.empty();
                        }))
                .then();
    }

    /** A placed sale order gave its units back (its payment failed, it timed out or was cancelled). */
    Mono<Void> returned(String userId, String sku, int quantity) {
        return giveBack(userId, Map.of(sku, quantity), null);
    }

    /**
     * A payment retry took a sale order's units again: the gate counts them too. Missed (Redis away),
     * the gate admits that many more than are left, which PostgreSQL refuses: the safe direction.
     */
    Mono<Void> takenAgain(String userId, String sku, int quantity) {
        return call(TAKE_AGAIN, List.of(gate(sku), shoppers(sku)), List.of(userId, Integer.toString(quantity)))
                .then()
                .onErrorResume(Away.class, away -> {
                    log.warn("Flash sale gate: {} unit(s) of {} taken again not counted: {}", quantity, sku, away.getCause().toString());
                    return Mono.empty();
                });
    }

    <T> Mono<T> call(RedisScript<T> script, List<String> keys, List<String> args) {
        return redis.execute(script, keys, args)
                .next()
                .timeout(properties.redisTimeout())
                // Redis failed or was too slow; an Error (a blocking call caught by BlockHound, say) is no outage
                .onErrorMap(failure -> failure instanceof Exception && !(failure instanceof Away), Away::new);
    }

    private void count(String result) {
        meters.counter("surge.flashsale.gate", "result", result).increment();
    }


    String gate(String sku) {
        return properties.keyPrefix() + "flash-sale:" + sku;
    }

    String shoppers(String sku) {
        return properties.keyPrefix() + "flash-sale:" + sku + ":shoppers";
    }

    /** The waiting room's counters: {@code seq} (places handed out), {@code head} (places admitted), the pace's clock. */
    String room(String sku) {
        return properties.keyPrefix() + "flash-sale:" + sku + ":room";
    }

    /** The waiting room's queue: shoppers in the order they took their places. */
    String line(String sku) {
        return properties.keyPrefix() + "flash-sale:" + sku + ":line";
    }

    /** Each waiting shopper's place number. */
    String places(String sku) {
        return properties.keyPrefix() + "flash-sale:" + sku + ":places";
    }

    /** Admitted shoppers, scored by when their admission lapses. */
    String admitted(String sku) {
        return properties.keyPrefix() + "flash-sale:" + sku + ":admitted";
    }

    /**
     * Shoppers whose buy-now the gate let through, scored by when it last did (epoch ms); none is taken
     * off when its checkout ends, {@link StrandedUnits} looks at each once it is old enough.
     */
    String inFlight(String sku) {
        return properties.keyPrefix() + "flash-sale:" + sku + ":in-flight";
    }

    /** Per in-flight shopper, until when the admission their buy-now used runs (epoch ms, {@code 0} for none). */
    String inFlightAdmissions(String sku) {
        return properties.keyPrefix() + "flash-sale:" + sku + ":in-flight-admissions";
    }

    String index() {
        return properties.keyPrefix() + "flash-sales";
    }

    /**
     * What the gate let through for one request: the units it took of each sale sku. Whatever of it
     * does not end up in a placed order's sale lines must be given back.
     */
    public final class Admission {

        private final String userId;
        private final Map<String, Integer> gated;
        private final AdmissionTokens.Admitted admission;

        private Admission(String userId, Map<String, Integer> gated, AdmissionTokens.Admitted admission) {
            this.userId = userId;
            this.gated = Map.copyOf(gated);
            this.admission = admission;
        }

        /** Whether the gate took anything: the request buys from a flash sale. */
        public boolean fromSale() {
            return !gated.isEmpty();
        }

        /**
         * Gives back every unit taken: the request placed no order (refused, failed, a replay). The
         * admission it used is the shopper's again until it lapses (a price change to confirm, say).
         */
        public Mono<Void> giveBack() {
            return gated.isEmpty() ? Mono.empty() : RedisStockGate.this.giveBack(userId, gated, admission);
        }

        /**
         * PostgreSQL refused the request: the sku's sale is sold out there, with {@code left} units left.
         * Gives back every unit taken like {@link #giveBack()}, except that the sku's gate is left holding
         * no more than PostgreSQL has: a gate that counted more (an answer lost to a timeout whose unit it
         * was given back, then bought through PostgreSQL) learns the truth here. Given back as it was, the
         * surplus would go on being admitted and refused for good, and the waiting room, holding places
         * for it, would never tell its line that the sale is sold out.
         */
        public Mono<Void> soldOut(String sku, int left) {
            return gated.isEmpty() ? Mono.empty()
                    : RedisStockGate.this.giveBack(userId, gated, admission, Map.of(sku, Math.max(0, left)));
        }

        /**
         * The order was placed, taking these skus from their sales: gives back what the gate took for
         * any other (a sale PostgreSQL did not have, e.g. one whose set-up never committed).
         */
        public Mono<Void> keep(Collection<String> takenFromSales) {
            Map<String, Integer> untaken = new LinkedHashMap<>(gated);
            untaken.keySet().removeAll(takenFromSales);
            return untaken.isEmpty() ? Mono.empty() : RedisStockGate.this.giveBack(userId, untaken, null);
        }
    }

    /** Redis did not answer the gate (down, refused, too slow). */
    static final class Away extends RuntimeException {

        Away(Throwable cause) {
            super(cause.toString(), cause, false, false);
        }
    }
}
