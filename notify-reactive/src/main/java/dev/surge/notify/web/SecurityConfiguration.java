package dev.surge.notify.web;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.util.matcher.NegatedServerWebExchangeMatcher;

import dev.surge.service.security.BearerTokenSecurity;
import io.micrometer.observation.ObservationPredicate;

/**
 * The live streams belong to a signed-in shopper ({@code /api/orders/**}) or to ops ({@code /api/ops/**},
 * the ops role, from {@link BearerTokenSecurity}): a bearer token validated here again behind the gateway
 * (JWKS, RS256 only, issuer, audience, expiry); the four stream endpoints check it the same way in
 * {@link StreamCallers}, outside this chain. Actuator stays open for probes and scraping; with Spring
 * Security present, messaging-support's outbox and dead-letter endpoints ask the ops role for their
 * writes themselves.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    /**
     * No {@code http.server.requests} observation of a stream either: its context would be held for the
     * stream's whole life, and a stream's duration says nothing about the service (the opening's outcome is in
     * the stream counters and problems).
     */
    @Bean
    ObservationPredicate noStreamObservations() {
        return (name, context) -> !(context instanceof ServerRequestObservationContext request && StreamCallers.stream(request.getCarrier()));
    }

    @Bean
    SecurityWebFilterChain notifySecurity(ServerHttpSecurity http) {
        // the stream endpoints check their token themselves (StreamCallers): a chain held open by every stream costs too much
        return BearerTokenSecurity.statelessBearerTokens(http)
                .securityMatcher(new NegatedServerWebExchangeMatcher(StreamCallers.STREAMS))
                .authorizeExchange(exchanges -> exchanges
                        .pathMatchers("/actuator/**").permitAll()
                        .pathMatchers("/api/**").authenticated()
                        .anyExchange().permitAll())
                .build();
    }
}
