package dev.surge.service;

import io.lettuce.core.ClientOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.data.redis.connection.ReactiveRedisConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * How every service connects to Redis so that a Redis outage degrades it instead of stalling it.
 *
 * <p>Lettuce's shared connection is opened on the main thread while the application starts. Left
 * lazy, the first Redis call (a request, or the readiness check) opens it with a blocking wait on
 * an event-loop thread. Not Lettuce's own eager initialization: that refuses to start the service
 * while Redis is down, and every service must start and degrade without Redis.
 */
@AutoConfiguration(afterName = "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration")
@ConditionalOnClass(LettuceConnectionFactory.class)
public class RedisConnectionAutoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(RedisConnectionAutoConfiguration.class);

    /**
     * While disconnected, commands fail at once instead of queueing until Redis is back: callers
     * have a fallback, and a queue of stale commands replayed on reconnect helps nobody.
     */
    @Bean
    LettuceClientOptionsBuilderCustomizer failFastWhileDisconnected() {
        return options -> options.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS);
    }

    @Bean
    @ConditionalOnBean(LettuceConnectionFactory.class)
    ApplicationListener<ApplicationStartedEvent> redisConnectionWarmUp(LettuceConnectionFactory factory) {
        return started -> {
            try (ReactiveRedisConnection connection = factory.getReactiveConnection()) {
                log.debug("Redis shared connection open: {}", connection);
            }
            catch (RuntimeException unavailable) {
                // Redis down at start: the service runs without it and its health says so
                log.warn("Redis is not reachable at start-up; continuing without it: {}", unavailable.toString());
            }
        };
    }
}
