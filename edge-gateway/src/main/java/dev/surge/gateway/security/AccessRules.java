package dev.surge.gateway.security;

import org.springframework.http.HttpMethod;
import org.springframework.security.config.web.server.ServerHttpSecurity.AuthorizeExchangeSpec;
import org.springframework.security.web.server.util.matcher.OrServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;

/**
 * Who may call what through the gateway, one list for browsers and API clients alike. Browsing
 * the catalog, pricing a guest's cart and signing in need nothing; operations and administration need the ops role;
 * everything else under {@code /api/} needs a signed-in shopper. Health probes, the sign-in
 * endpoints and unknown paths (which end in a 404) are open; the rest of actuator needs ops.
 */
final class AccessRules {

    static final String OPS_ROLE = "ops";

    private static final String[] CATALOG_READS = { "/api/products", "/api/products/**", "/api/categories",
            "/api/categories/**", "/images/**" };

    /** GET and HEAD of the catalog's public paths. */
    static final ServerWebExchangeMatcher PUBLIC_READS = new OrServerWebExchangeMatcher(
            ServerWebExchangeMatchers.pathMatchers(HttpMethod.GET, CATALOG_READS),
            ServerWebExchangeMatchers.pathMatchers(HttpMethod.HEAD, CATALOG_READS));

    private AccessRules() {
    }

    static void apply(AuthorizeExchangeSpec exchanges) {
        exchanges
                .matchers(PUBLIC_READS).permitAll()
                .pathMatchers(SessionController.PATH).permitAll()
                // probes stay open for the platform; metrics and the rest of actuator are for ops only
                .pathMatchers("/actuator/health", "/actuator/health/**").permitAll()
                .pathMatchers("/api/ops/**", "/api/admin/**", "/actuator/**").hasRole(OPS_ROLE)
                // a guest's cart lives in the browser; its prices are as public as the catalog's
                .pathMatchers(HttpMethod.POST, "/api/cart/prices").permitAll()
                // a flash sale's start and status show on the product page to everybody
                .pathMatchers(HttpMethod.GET, "/api/flash-sales/*").permitAll()
                .pathMatchers("/api/**").authenticated()
                .anyExchange().permitAll();
    }
}
