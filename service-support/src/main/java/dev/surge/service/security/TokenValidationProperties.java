package dev.surge.service.security;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How bearer tokens are checked beyond {@code spring.security.oauth2.resourceserver.jwt.*}
 * (issuer, JWKS URI, audiences, algorithms).
 *
 * @param clockSkew tolerance on {@code exp} and {@code nbf} for clocks that disagree a little
 * @param jwksMaxAge keys older than this are refetched in the background; the held ones serve meanwhile
 * @param jwksMinRefreshInterval keys are refetched at most this often (an unknown {@code kid}, a
 *        provider that is down)
 * @param jwksTimeout how long a key fetch may take; only requests that arrive while no key is held
 *        at all wait for it
 * @param rememberVerified how long a verified token is remembered, so its signature is not
 *        checked again on every request (expiry still is); zero turns it off
 */
@ConfigurationProperties("surge.security.jwt")
public record TokenValidationProperties(Duration clockSkew, Duration jwksMaxAge,
        Duration jwksMinRefreshInterval, Duration jwksTimeout, Duration rememberVerified) {

    public TokenValidationProperties {
        clockSkew = clockSkew != null ? clockSkew : Duration.ofSeconds(30);
        jwksMaxAge = jwksMaxAge != null ? jwksMaxAge : Duration.ofMinutes(10);
        jwksMinRefreshInterval = jwksMinRefreshInterval != null ? jwksMinRefreshInterval : Duration.ofSeconds(30);
        jwksTimeout = jwksTimeout != null ? jwksTimeout : Duration.ofSeconds(3);
        rememberVerified = rememberVerified != null ? rememberVerified : Duration.ofMinutes(5);
    }
}
