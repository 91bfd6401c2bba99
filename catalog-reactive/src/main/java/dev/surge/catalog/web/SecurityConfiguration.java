package dev.surge.catalog.web;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.util.matcher.NegatedServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.OrServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;

import dev.surge.service.security.BearerTokenSecurity;

/**
 * Browsing is public; administration ({@code /api/admin/**}) needs a bearer token with the ops
 * role, and every other write (a shopper's review, say) a signed-in shopper's token, validated
 * here again (defence in depth behind the gateway): signature against the provider's JWKS, RS256
 * only, issuer, audience, expiry ({@code spring.security.oauth2.resourceserver.jwt.*}).
 *
 * <p>The chain matches only the admin paths and requests other than GET and HEAD: public reads
 * skip Spring Security entirely, which was about a tenth of the catalog's CPU on a cached product
 * read (JFR, bench/catalog-read). So a write added later is guarded without anyone remembering to.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    private static final ServerWebExchangeMatcher READS = new OrServerWebExchangeMatcher(
            ServerWebExchangeMatchers.pathMatchers(HttpMethod.GET, "/**"),
            ServerWebExchangeMatchers.pathMatchers(HttpMethod.HEAD, "/**"));

    @Bean
    SecurityWebFilterChain catalogSecurity(ServerHttpSecurity http) {
        return BearerTokenSecurity.statelessBearerTokens(http)
                .securityMatcher(new OrServerWebExchangeMatcher(ServerWebExchangeMatchers.pathMatchers("/api/admin/**"),
                        new NegatedServerWebExchangeMatcher(READS)))
                .authorizeExchange(exchanges -> exchanges
                        .anyExchange().authenticated())
                .build();
    }
}
