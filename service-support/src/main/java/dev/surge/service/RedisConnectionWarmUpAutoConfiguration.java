package dev.surge.service;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.data.redis.connection.ReactiveRedisConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Opens Lettuce's shared connection on the main thread while the application starts. Left lazy,
 * the first Redis call (a request, or the readiness check) opens it with a blocking wait on an
 * event-loop thread. Not Lettuce's own eager initialization: that refuses to start the service
 * while Redis is down, and every service must start and degrade without Redis.
 */
@AutoConfiguration(afterName = "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration")
@ConditionalOnClass(LettuceConnectionFactory.class)
public class RedisConnectionWarmUpAutoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(RedisConnectionWarmUpAutoConfiguration.class);

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
