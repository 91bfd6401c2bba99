package dev.surge.service.security;

import org.springframework.security.config.Customizer;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;

/**
 * The security every service applies behind the gateway: stateless, bearer tokens only, validated
 * by {@link TokenValidation} ({@code spring.security.oauth2.resourceserver.jwt.*}), failures as
 * problem documents. A service adds its own {@code authorizeExchange} rules.
 */
public final class BearerTokenSecurity {

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
                        .accessDeniedHandler(ProblemResponses.forbidden()));
    }
}
