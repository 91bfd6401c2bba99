package dev.surge.order.web;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;

import dev.surge.service.security.BearerTokenSecurity;

/**
 * Everything under {@code /api/} belongs to a signed-in shopper: a bearer token validated here
 * again (defence in depth behind the gateway): signature against the provider's JWKS, RS256 only,
 * issuer, audience, expiry ({@code spring.security.oauth2.resourceserver.jwt.*}). Administration and
 * ops paths need the ops role. Actuator endpoints stay open for probes and scraping.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    @Bean
    SecurityWebFilterChain cartOrderSecurity(ServerHttpSecurity http) {
        return BearerTokenSecurity.statelessBearerTokens(http)
                .authorizeExchange(exchanges -> exchanges
                        .pathMatchers("/actuator/**").permitAll()
                        // the gateway checks the role too; a service never trusts that it was asked through it
                        .pathMatchers("/api/admin/**", "/api/ops/**").hasRole("ops")
                        // a guest's cart lives in the browser; its prices are public like the catalog's
                        .pathMatchers(HttpMethod.POST, "/api/cart/prices").permitAll()
                        // a flash sale's start and status are shown on the product page to everybody
                        .pathMatchers(HttpMethod.GET, "/api/flash-sales/*").permitAll()
                        .pathMatchers("/api/**").authenticated()
                        .anyExchange().permitAll())
                .build();
    }
}
