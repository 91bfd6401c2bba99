package dev.surge.gateway.redis;

import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.lettuce.core.ClientOptions;

/**
 * Redis is a helper at the edge, never a dependency a request waits for: every use here (rate-limit
 * buckets, last-good bodies) has a policy for Redis being away. Lettuce's default queues commands
 * while it reconnects and fails them only at the command timeout, which would add that timeout to
 * every request during an outage; rejecting them at once lets each policy apply immediately.
 */
@Configuration(proxyBeanMethods = false)
class RedisClientConfiguration {

    @Bean
    LettuceClientOptionsBuilderCustomizer rejectCommandsWhileDisconnected() {
        return options -> options.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS);
    }
}
