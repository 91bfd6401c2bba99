package dev.surge.gateway.security;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;
import org.springframework.security.web.server.util.matcher.AndServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.NegatedServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;

import dev.surge.service.security.BearerTokenSecurity;
import dev.surge.service.security.BoundedBearerTokenConverter;

/**
 * Two ways in. API clients (dashboards, scripts, load tests) send a bearer JWT: checked here with
 * service-support's TokenValidation, no session. Browsers sign in through the gateway
 * ({@link BrowserSecurityConfiguration}, the last chain). Either way the services get a bearer
 * token and check it again. Public catalog reads come first and skip all of it.
 */
@Configuration(proxyBeanMethods = false)
class GatewaySecurityConfiguration {

    /** A request that brings its own token is an API client's, whatever cookies it carries. */
    static final ServerWebExchangeMatcher BEARER_REQUESTS = exchange ->
            BoundedBearerTokenConverter.isBearer(exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION))
                    ? ServerWebExchangeMatcher.MatchResult.match()
                    : ServerWebExchangeMatcher.MatchResult.notMatch();

    /**
     * Browsing the catalog without a token: the hottest path of the shop and open to all, so it
     * skips every security filter (no session lookup, no CSRF cookie, no anonymous principal, no
     * cache-defeating headers over the catalog's own). A request with a bearer token goes to the
     * API-client chain instead, so a bad token is refused here too.
     */
    @Bean
    @Order(0)
    SecurityWebFilterChain publicCatalogReads(ServerHttpSecurity http) {
        return http
                .securityMatcher(new AndServerWebExchangeMatcher(AccessRules.PUBLIC_READS,
                        new NegatedServerWebExchangeMatcher(BEARER_REQUESTS)))
                .authorizeExchange(exchanges -> exchanges.anyExchange().permitAll())
                .securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
                .requestCache(cache -> cache.requestCache(NoOpServerRequestCache.getInstance()))
                .anonymous(ServerHttpSecurity.AnonymousSpec::disable)
                .csrf(ServerHttpSecurity.CsrfSpec::disable)
                .headers(ServerHttpSecurity.HeaderSpec::disable)
                .logout(ServerHttpSecurity.LogoutSpec::disable)
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .build();
    }

    @Bean
    @Order(1)
    SecurityWebFilterChain apiClients(ServerHttpSecurity http) {
        return BearerTokenSecurity.statelessBearerTokens(http.securityMatcher(BEARER_REQUESTS))
                .authorizeExchange(AccessRules::apply)
                .build();
    }

    /**
     * No Micrometer observation around each security filter and chain: at the edge they were
     * ~10 % of the gateway's CPU on every request (JFR), for spans nobody reads. The request
     * itself is still observed (http.server.requests), and refusals show as 401/403 there.
     */
    @Bean
    SecurityObservationSettings noSecurityFilterObservations() {
        return SecurityObservationSettings.noObservations();
    }
}
