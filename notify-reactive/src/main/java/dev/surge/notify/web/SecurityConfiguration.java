package dev.surge.notify.web;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;

import dev.surge.service.security.BearerTokenSecurity;

/**
 * The live streams belong to a signed-in shopper ({@code /api/orders/**}) or to ops ({@code /api/ops/**},
 * the ops role, from {@link BearerTokenSecurity}): a bearer token validated here again behind the gateway
 * (JWKS, RS256 only, issuer, audience, expiry). Actuator stays open for probes and scraping; with Spring
 * Security present, messaging-support's outbox and dead-letter endpoints ask the ops role for their
 * writes themselves.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    @Bean
    SecurityWebFilterChain notifySecurity(ServerHttpSecurity http) {
        return BearerTokenSecurity.statelessBearerTokens(http)
                .authorizeExchange(exchanges -> exchanges
                        .pathMatchers("/actuator/**").permitAll()
                        .pathMatchers("/api/**").authenticated()
                        .anyExchange().permitAll())
                .build();
    }
}
