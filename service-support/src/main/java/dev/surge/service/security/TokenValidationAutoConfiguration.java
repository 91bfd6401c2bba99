package dev.surge.service.security;

import java.time.Clock;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerProperties;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.reactive.ReactiveOAuth2ResourceServerAutoConfiguration;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;

/**
 * The JWT decoder of every service and of the gateway, in place of Boot's: the same
 * {@code spring.security.oauth2.resourceserver.jwt.*} settings, plus a key cache that refetches on
 * an unknown {@code kid} without letting forged ones hammer the provider, a required {@code exp},
 * and a set clock skew ({@code surge.security.jwt.*}). And no Micrometer observation around each
 * security filter and chain.
 */
@AutoConfiguration(before = ReactiveOAuth2ResourceServerAutoConfiguration.class)
@ConditionalOnClass(NimbusReactiveJwtDecoder.class)
@ConditionalOnProperty("spring.security.oauth2.resourceserver.jwt.jwk-set-uri")
@EnableConfigurationProperties({ OAuth2ResourceServerProperties.class, TokenValidationProperties.class })
public class TokenValidationAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    JwkSetCache jwkSetCache(OAuth2ResourceServerProperties resourceServer, TokenValidationProperties settings) {
        return TokenValidation.keys(resourceServer.getJwt().getJwkSetUri(), settings, Clock.systemUTC());
    }

    /**
     * The keys fetched as soon as the service is up, so that its first requests (a flash sale's opening
     * wave on a gateway nobody has called yet) do not all wait for one fetch, under load at that.
     * Detached like {@link JwkSetCache}'s background refresh: bounded by its timeout, failure logged.
     */
    @Bean
    ApplicationListener<ApplicationReadyEvent> fetchSigningKeysAtStart(JwkSetCache keys) {
        return new ApplicationListener<>() {
            @Override
            public void onApplicationEvent(ApplicationReadyEvent ready) {
                keys.warm().toFuture();
            }
        };
    }

    @Bean
    @ConditionalOnMissingBean
    ReactiveJwtDecoder jwtDecoder(JwkSetCache keys, OAuth2ResourceServerProperties resourceServer,
            TokenValidationProperties settings) {
        OAuth2ResourceServerProperties.Jwt jwt = resourceServer.getJwt();
        return TokenValidation.decoder(keys, jwt.getJwsAlgorithms(), jwt.getIssuerUri(), jwt.getAudiences(), settings,
                Clock.systemUTC());
    }

    /**
     * No Micrometer observation around each security filter and chain: they cost about 10 % of a
     * service's CPU on every request (JFR, the gateway's catalog reads and cart-order's checkout),
     * for spans nobody reads. The request itself is still observed ({@code http.server.requests}),
     * and refusals show there as 401 and 403.
     */
    @Bean
    @ConditionalOnMissingBean
    SecurityObservationSettings noSecurityFilterObservations() {
        return SecurityObservationSettings.noObservations();
    }
}
