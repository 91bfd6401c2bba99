package dev.surge.service.security;

import org.springframework.security.config.Customizer;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;

/**
 * The security every service applies behind the gateway: stateless, bearer tokens only, validated
 * by {@link TokenValidation} ({@code spring.security.oauth2.resourceserver.jwt.*}), failures as
 * problem documents. Operations and administration ({@code /api/ops/**}, {@code /api/admin/**})
 * need the {@value #OPS_ROLE} role in every service, whatever the gateway checked before; a
 * service adds its own {@code authorizeExchange} rules after these, and the first rule that
 * matches a request decides.
 */
public final class BearerTokenSecurity {

    /** The role of operators and administrators ({@code ROLE_ops} from the token's {@code roles} claim). */
    public static final String OPS_ROLE = "ops";

    private BearerTokenSecurity() {
    }

    public static ServerHttpSecurity statelessBearerTokens(ServerHttpSecurity http) {
        return http
                // bearer tokens only, no cookies: there is no session for a forged request to ride on
                .csrf(ServerHttpSecurity.CsrfSpec::disable)
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .logout(ServerHttpSecurity.LogoutSpec::disable)
                .securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
                .oauth2ResourceServer(server -> server
                        .bearerTokenConverter(new BoundedBearerTokenConverter())
                        .jwt(Customizer.withDefaults())
                        .authenticationEntryPoint(ProblemResponses.unauthorized())
                        .accessDeniedHandler(ProblemResponses.forbidden()))
                .exceptionHandling(handling -> handling
                        .authenticationEntryPoint(ProblemResponses.unauthorized())
                        .accessDeniedHandler(ProblemResponses.forbidden()))
                // rules accumulate in one spec: these come before any the service adds, so it cannot loosen them
                .authorizeExchange(exchanges -> exchanges
                        .pathMatchers("/api/ops/**", "/api/admin/**").hasRole(OPS_ROLE));
    }
}
