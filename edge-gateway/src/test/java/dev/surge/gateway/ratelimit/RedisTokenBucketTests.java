package dev.surge.gateway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.data.redis.RedisConnectionFailureException;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

import dev.surge.gateway.redis.RedisKeys;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/** The Redis-down policy of the rate limits, on virtual time: fail open, and never wait past the timeout. */
class RedisTokenBucketTests {

    private static final RateLimitProperties.Limit SEARCH = new RateLimitProperties.Limit(10, 20);

    private final ReactiveStringRedisTemplate redis = mock(ReactiveStringRedisTemplate.class);
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final RedisTokenBucket buckets = new RedisTokenBucket(redis, new RedisKeys("test:"),
            new RateLimitProperties(Map.of("search", SEARCH), Duration.ofMillis(250)), meters);

    @Test
    @SuppressWarnings("unchecked")
    void letsARequestThroughUncheckedOnceRedisHasNotAnsweredWithinTheTimeout() {
        when(redis.execute(any(RedisScript.class), anyList(), anyList())).thenReturn(Flux.never());

        StepVerifier.withVirtualTime(() -> buckets.take("search", "client", SEARCH))
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(249))
                .thenAwait(Duration.ofMillis(1))
                .expectNext(Decision.UNCHECKED)
                .verifyComplete();
        assertThat(meters.counter("surge.gateway.rate.limit.unchecked").count()).isEqualTo(1);
    }

    @Test
    @SuppressWarnings("unchecked")
    void letsARequestThroughUncheckedAtOnceWhenRedisRefusesTheCommand() {
        when(redis.execute(any(RedisScript.class), anyList(), anyList()))
                .thenReturn(Flux.error(new RedisConnectionFailureException("disconnected")));

        StepVerifier.withVirtualTime(() -> buckets.take("search", "client", SEARCH))
                .expectSubscription()
                .expectNext(Decision.UNCHECKED)
                .verifyComplete();
    }
}
