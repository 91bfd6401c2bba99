package dev.surge.service.security;

import java.time.Clock;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerProperties;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.reactive.ReactiveOAuth2ResourceServerAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;

/**
 * The JWT decoder of every service and of the gateway, in place of Boot's: the same
 * {@code spring.security.oauth2.resourceserver.jwt.*} settings, plus a key cache that refetches on
 * an unknown {@code kid} without letting forged ones hammer the provider, a required {@code exp},
 * and a set clock skew ({@code surge.security.jwt.*}).
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

    @Bean
    @ConditionalOnMissingBean
    ReactiveJwtDecoder jwtDecoder(JwkSetCache keys, OAuth2ResourceServerProperties resourceServer,
            TokenValidationProperties settings) {
        OAuth2ResourceServerProperties.Jwt jwt = resourceServer.getJwt();
        return TokenValidation.decoder(keys, jwt.getJwsAlgorithms(), jwt.getIssuerUri(), jwt.getAudiences(), settings,
                Clock.systemUTC());
    }
}
