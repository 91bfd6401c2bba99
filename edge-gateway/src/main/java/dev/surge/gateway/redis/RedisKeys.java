package dev.surge.gateway.redis;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.NotBlank;

/**
 * Where the gateway's keys live in a Redis that other services share.
 *
 * @param keyPrefix starts every key the gateway writes (last-good bodies, rate-limit buckets), so
 *        its keys never collide with a service's and can be listed or dropped together; tests get
 *        one prefix per class
 */
@Validated
@ConfigurationProperties("surge.redis")
public record RedisKeys(@NotBlank String keyPrefix) {

    /** A key inside the gateway's prefix: {@code <prefix><feature>:<rest>}. */
    public String key(String feature, String rest) {
        return keyPrefix + feature + ":" + rest;
    }
}
