package dev.surge.catalog.web;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;

import dev.surge.service.security.BearerTokenSecurity;

/**
 * Browsing is public; {@code /api/admin/**} needs a bearer token with the ops role, validated
 * here again (defence in depth behind the gateway): signature against the provider's JWKS, RS256
 * only, issuer, audience, expiry ({@code spring.security.oauth2.resourceserver.jwt.*}).
 *
 * <p>The chain matches only the admin paths: public reads skip Spring Security entirely, which
 * was about a tenth of the catalog's CPU on a cached product read (JFR, bench/catalog-read).
 * Everything else is a public GET; another method there finds no handler (405).
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    @Bean
    SecurityWebFilterChain catalogSecurity(ServerHttpSecurity http) {
        return BearerTokenSecurity.statelessBearerTokens(http)
                .securityMatcher(ServerWebExchangeMatchers.pathMatchers("/api/admin/**"))
                .authorizeExchange(exchanges -> exchanges
                        .anyExchange().hasRole("ops"))
                .build();
    }
}
