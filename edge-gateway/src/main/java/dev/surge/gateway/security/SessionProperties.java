package dev.surge.gateway.security;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.NotNull;

/**
 * Browser sessions beyond {@code spring.session.*} (the idle timeout, the Redis namespace).
 *
 * @param absoluteTimeout a signed-in session ends this long after its sign-in, however active; it
 *        also bounds how long the roles of one sign-in are used at the gateway
 */
@Validated
@ConfigurationProperties("surge.gateway.session")
public record SessionProperties(@NotNull Duration absoluteTimeout) {

    public SessionProperties {
        absoluteTimeout = absoluteTimeout != null ? absoluteTimeout : Duration.ofHours(12);
    }
}
