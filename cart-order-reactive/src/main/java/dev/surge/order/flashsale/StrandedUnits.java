package dev.surge.order.flashsale;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.Limit;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.ZSetOperations;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;

import dev.surge.messaging.StreamLifecycle;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Gives the gate back the units of buy-nows that never settled. A checkout gives back what the gate
 * took when PostgreSQL does not take it ({@link RedisStockGate.Admission}), but a checkout cut off on
 * its way (the gateway's time limit ran out, the client went away) or an instance killed between the
 * gate and PostgreSQL settles nothing: its units stay taken in the gate, which then admits fewer than
 * PostgreSQL has, for good.
 *
 * <p>So the gate notes every shopper it lets through, with the time ({@code :in-flight}). Once that is
 * longer ago than any checkout can run ({@code surge.flash-sales.stranded-after}), whatever the gate
 * counts for the shopper above what PostgreSQL counts is a stranded unit: it goes back to the gate
 * (never above what PostgreSQL has left) and the shopper's admission is open again while it runs, so
 * a buyer who was cut off can buy. A shopper the gate let through again meanwhile is left for a later
 * round. Every instance checks, every {@code stranded-check}; of two at once the second finds nothing.
 *
 * <p>A checkout that ran longer than {@code stranded-after} and then settled gives its unit back twice:
 * the gate then admits one more than PostgreSQL has, PostgreSQL refuses it, and the refusal brings the
 * gate down to PostgreSQL's count ({@link RedisStockGate.Admission#soldOut}): the safe direction.
 */
@Component
class StrandedUnits {

    private static final Logger log = LoggerFactory.getLogger(StrandedUnits.class);

    /** Shoppers looked at per sale and round; the rest wait for the next round. */
    private static final int BATCH = 500;

    /**
     * KEYS[1] gate, KEYS[2] shoppers, KEYS[3] waiting room admissions, KEYS[4] in-flight, KEYS[5] its
     * admissions; ARGV[1] now (epoch ms), ARGV[2] what PostgreSQL has left of the sale; then per shopper:
     * shopper, when the gate let them through (the in-flight score read), the units PostgreSQL counts
     * for them. A shopper whose score moved (let through again) is skipped. Answers the units given back.
     */
    private static final RedisScript<Long> SETTLE = LuaScript.of("""
            local exists = redis.call('EXISTS', KEYS[1]) == 1
            local most = 0
            if exists then
              most = math.min(tonumber(redis.call('HGET', KEYS[1], 'units')), tonumber(ARGV[2]))
            end
            local now = tonumber(ARGV[1])
            local given = 0
            for i = 3, #ARGV, 3 do
              local shopper = ARGV[i]
              local since = redis.call('ZSCORE', KEYS[4], shopper)
              if since and tonumber(since) == tonumber(ARGV[i + 1]) then
                -- a gate rebuilt meanwhile was built from PostgreSQL: nothing of it to settle
                if exists then
                  local counted = tonumber(redis.call('HGET', KEYS[2], shopper) or '0')
                  local bought = tonumber(ARGV[i + 2])
                  if counted > bought then
                    if redis.call('HINCRBY', KEYS[1], 'left', counted - bought) > most then
                      redis.call('HSET', KEYS[1], 'left', most)
                    end
                    if bought > 0 then
                      redis.call('HSET', KEYS[2], shopper, bought)
                    else
                      redis.call('HDEL', KEYS[2], shopper)
                    end
                    local runs = tonumber(redis.call('HGET', KEYS[5], shopper) or '0')
                    if runs > now then
                      redis.call('ZADD', KEYS[3], 'NX', runs, shopper)
                    end
                    given = given + counted - bought
                  end
                end
                redis.call('ZREM', KEYS[4], shopper)
                redis.call('HDEL', KEYS[5], shopper)
              end
            end
            return given""", Long.class);

    private final ReactiveStringRedisTemplate redis;
    private final RedisStockGate gate;
    private final R2dbcFlashSaleRepository sales;
    private final FlashSaleProperties properties;
    private final MeterRegistry meters;

    StrandedUnits(ReactiveStringRedisTemplate redis, RedisStockGate gate, R2dbcFlashSaleRepository sales,
            FlashSaleProperties properties, MeterRegistry meters) {
        this.redis = redis;
        this.gate = gate;
        this.sales = sales;
        this.properties = properties;
        this.meters = meters;
    }

    /** One round over every sale: the units given back. Redis or PostgreSQL away: nothing, the next round tries again. */
    Mono<Integer> settle() {
        return sales.skus()
                .concatMap(this::settle)
                .reduce(0, Integer::sum)
                .onErrorResume(Exception.class, failed -> {
                    log.warn("Flash sale gate: stranded units not checked: {}", failed.toString());
                    return Mono.just(0);
                });
    }

    private Mono<Integer> settle(String sku) {
        long now = Instant.now().toEpochMilli();
        return redis.opsForZSet()
                .rangeByScoreWithScores(gate.inFlight(sku),
                        Range.closed(0.0, (double) (now - properties.strandedAfter().toMillis())), Limit.limit().count(BATCH))
                .collectList()
                .timeout(properties.redisTimeout())
                .filter(stale -> !stale.isEmpty())
                .flatMap(stale -> sales.find(sku)
                        .zipWith(sales.purchases(sku, stale.stream().map(ZSetOperations.TypedTuple::getValue).toList()))
                        .flatMap(found -> gate.call(SETTLE, keys(sku), args(now, found.getT1().left(), stale, found.getT2()))))
                .map(Long::intValue)
                .doOnNext(given -> {
                    if (given > 0) {
                        log.warn("Flash sale gate: {} unit(s) of {} given back from buy-nows that never settled", given, sku);
                        meters.counter("surge.flashsale.gate.stranded", "sku", sku).increment(given);
                    }
                })
                .defaultIfEmpty(0);
    }

    private List<String> keys(String sku) {
        return List.of(gate.gate(sku), gate.shoppers(sku), gate.admitted(sku), gate.inFlight(sku), gate.inFlightAdmissions(sku));
    }

    private static List<String> args(long now, int left, List<ZSetOperations.TypedTuple<String>> stale, Map<String, Integer> bought) {
        List<String> args = new ArrayList<>(List.of(Long.toString(now), Integer.toString(left)));
        stale.forEach(shopper -> {
            args.add(shopper.getValue());
            args.add(Long.toString(shopper.getScore().longValue()));
            args.add(Integer.toString(bought.getOrDefault(shopper.getValue(), 0)));
        });
        return args;
    }

    @Configuration(proxyBeanMethods = false)
    static class Clock {

        @Bean
        SmartInitializingSingleton settleStrandedUnits(StreamLifecycle streams, StrandedUnits stranded, FlashSaleProperties properties) {
            return () -> streams.register("flash sale stranded units", () -> Flux.interval(properties.strandedCheck())
                    .onBackpressureDrop()
                    .concatMap(tick -> stranded.settle(), 1));
        }
    }
}
