package dev.surge.gateway.security;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.springframework.boot.session.autoconfigure.SessionTimeout;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.web.server.SecurityWebFiltersOrder;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.authority.mapping.GrantedAuthoritiesMapper;
import org.springframework.security.oauth2.client.ReactiveOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.ReactiveOAuth2AuthorizedClientProviderBuilder;
import org.springframework.security.oauth2.client.registration.ReactiveClientRegistrationRepository;
import org.springframework.security.oauth2.client.web.DefaultReactiveOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestCustomizers;
import org.springframework.security.oauth2.client.web.server.DefaultServerOAuth2AuthorizationRequestResolver;
import org.springframework.security.oauth2.client.web.server.ServerOAuth2AuthorizationRequestResolver;
import org.springframework.security.oauth2.client.web.server.ServerOAuth2AuthorizedClientRepository;
import org.springframework.security.oauth2.client.web.server.WebSessionServerOAuth2AuthorizedClientRepository;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.core.oidc.user.OidcUserAuthority;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.authentication.RedirectServerAuthenticationFailureHandler;
import org.springframework.security.web.server.authentication.RedirectServerAuthenticationSuccessHandler;
import org.springframework.security.web.server.authentication.logout.DelegatingServerLogoutHandler;
import org.springframework.security.web.server.authentication.logout.SecurityContextServerLogoutHandler;
import org.springframework.security.web.server.authentication.logout.WebSessionServerLogoutHandler;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;
import org.springframework.security.web.server.csrf.CookieServerCsrfTokenRepository;
import org.springframework.security.web.server.csrf.CsrfException;
import org.springframework.security.web.server.csrf.CsrfServerLogoutHandler;
import org.springframework.security.web.server.csrf.CsrfWebFilter;
import org.springframework.security.web.server.csrf.ServerCsrfTokenRequestAttributeHandler;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;
import org.springframework.security.web.server.util.matcher.AndServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;

import dev.surge.service.security.ProblemResponses;

/**
 * Browsers sign in through the gateway (backend-for-frontend): authorization code with PKCE as a
 * confidential client; tokens stay in the Redis session ({@link SessionConfiguration}), the
 * browser holds only an HttpOnly cookie, and unsafe requests need the CSRF token the way
 * Angular's HttpClient sends it. This chain takes every request the others did not.
 */
@Configuration(proxyBeanMethods = false)
class BrowserSecurityConfiguration {

    @Bean
    @Order(2)
    SecurityWebFilterChain browsers(ServerHttpSecurity http, LoginProperties login, SessionProperties sessions,
            SessionTimeout idleTimeout, ServerOAuth2AuthorizationRequestResolver authorizationRequests,
            ReactiveClientRegistrationRepository clients) {
        CookieServerCsrfTokenRepository csrfTokens = CookieServerCsrfTokenRepository.withHttpOnlyFalse();
        boolean alwaysSecure = login.secureCookies() == LoginProperties.CookieSecurity.ALWAYS;
        // Secure by default only when the gateway itself sees TLS; always when told it sits behind a TLS proxy
        csrfTokens.setCookieCustomizer(cookie -> {
            cookie.sameSite("Strict");
            if (alwaysSecure) {
                cookie.secure(true);
            }
        });
        Clock clock = Clock.systemUTC();
        return http
                // before CSRF, so a session past its lifetime is a 401 whatever the method
                .addFilterBefore(new EndOldSessions(login.sessionCookie(), sessions.absoluteTimeout(), clock,
                        ProblemResponses.unauthorized(EndOldSessions.DETAIL)), SecurityWebFiltersOrder.CSRF)
                .authorizeExchange(AccessRules::apply)
                .oauth2Login(oauth -> oauth
                        .authorizationRequestResolver(authorizationRequests)
                        .authorizationRequestRepository(new ShortPendingSessions(login.pendingTimeout()))
                        .authenticationSuccessHandler(ShortPendingSessions.signedIn(idleTimeout.getTimeout(), clock,
                                new RedirectServerAuthenticationSuccessHandler(login.successUrl())))
                        .authenticationFailureHandler(new RedirectServerAuthenticationFailureHandler(login.failureUrl())))
                .logout(logout -> logout
                        .logoutHandler(new DelegatingServerLogoutHandler(new SecurityContextServerLogoutHandler(),
                                new WebSessionServerLogoutHandler(), new CsrfServerLogoutHandler(csrfTokens)))
                        .logoutSuccessHandler(new EndProviderSession(clients, login.registrationId(), login.postLogoutUrl())))
                // Angular's HttpClient copies the XSRF-TOKEN cookie into the X-XSRF-TOKEN header as it is,
                // so the token is compared plainly (no per-response masking)
                .csrf(csrf -> csrf
                        .requireCsrfProtectionMatcher(unsafeWithSession(login.sessionCookie()))
                        .csrfTokenRepository(csrfTokens)
                        .csrfTokenRequestHandler(new ServerCsrfTokenRequestAttributeHandler())
                        .accessDeniedHandler(forbidden()))
                .exceptionHandling(handling -> handling
                        .authenticationEntryPoint(ProblemResponses.unauthorized(
                                "Sign in (/oauth2/authorization/" + login.registrationId() + ") or send a valid bearer token."))
                        .accessDeniedHandler(forbidden()))
                // a 401 is the answer to an API call; the app decides when to send the shopper to sign in
                .requestCache(cache -> cache.requestCache(NoOpServerRequestCache.getInstance()))
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .build();
    }

    /**
     * A forged cross-site request can only ride on the session cookie the browser attaches by
     * itself; a request without one has nothing to forge (and gets a 401 where it needs a user).
     */
    private static ServerWebExchangeMatcher unsafeWithSession(String sessionCookie) {
        return new AndServerWebExchangeMatcher(CsrfWebFilter.DEFAULT_CSRF_MATCHER,
                exchange -> exchange.getRequest().getCookies().containsKey(sessionCookie)
                        ? ServerWebExchangeMatcher.MatchResult.match()
                        : ServerWebExchangeMatcher.MatchResult.notMatch());
    }

    /** 403 as a problem; a missing or wrong CSRF token gets its own type so the app can fetch a new one. */
    private static ServerAccessDeniedHandler forbidden() {
        ServerAccessDeniedHandler denied = ProblemResponses.forbidden();
        return (exchange, failure) -> failure instanceof CsrfException
                ? ProblemResponses.write(exchange.getResponse(), HttpStatus.FORBIDDEN, "csrf", "Forbidden",
                        "This request needs the X-XSRF-TOKEN header with the value of the XSRF-TOKEN cookie.")
                : denied.handle(exchange, failure);
    }

    /**
     * Authorization code with PKCE even though the gateway also has a client secret (RFC 9700),
     * and the API audience when one is set (Auth0 issues a JWT access token only when asked).
     */
    @Bean
    ServerOAuth2AuthorizationRequestResolver authorizationRequestResolver(ReactiveClientRegistrationRepository clients,
            LoginProperties login) {
        return authorizationRequests(clients, login.audience(), login.signUpParameters());
    }

    static ServerOAuth2AuthorizationRequestResolver authorizationRequests(ReactiveClientRegistrationRepository clients,
            String audience, Map<String, String> signUp) {
        DefaultServerOAuth2AuthorizationRequestResolver resolver = new DefaultServerOAuth2AuthorizationRequestResolver(clients);
        Consumer<OAuth2AuthorizationRequest.Builder> customizer = OAuth2AuthorizationRequestCustomizers.withPkce();
        if (audience != null && !audience.isBlank()) {
            customizer = customizer.andThen(request -> request.additionalParameters(
                    parameters -> parameters.put("audience", audience)));
        }
        resolver.setAuthorizationRequestCustomizer(customizer);
        return signUp.isEmpty() ? resolver : new SignUpRequests(resolver, signUp);
    }

    /** Signed-in shoppers' tokens live in their session, so in Redis, never in one gateway's memory. */
    @Bean
    ServerOAuth2AuthorizedClientRepository authorizedClientRepository() {
        return new WebSessionServerOAuth2AuthorizedClientRepository();
    }

    /**
     * Relaying a token refreshes it first when it expires within {@code refresh-before-expiry},
     * or when it carries the sign-in's {@code nonce} ({@link RefreshNonceCarryingTokens}).
     */
    @Bean
    ReactiveOAuth2AuthorizedClientManager authorizedClientManager(ReactiveClientRegistrationRepository clients,
            ServerOAuth2AuthorizedClientRepository authorizedClients, LoginProperties login) {
        DefaultReactiveOAuth2AuthorizedClientManager manager = new DefaultReactiveOAuth2AuthorizedClientManager(clients,
                authorizedClients);
        manager.setAuthorizedClientProvider(ReactiveOAuth2AuthorizedClientProviderBuilder.builder()
                .authorizationCode()
                .provider(new RefreshNonceCarryingTokens())
                .refreshToken(refresh -> refresh.clockSkew(login.refreshBeforeExpiry()))
                .build());
        return new OneRefreshPerSession(manager);
    }

    /** The provider's {@code roles} claim becomes roles here, as it does for bearer tokens. */
    @Bean
    GrantedAuthoritiesMapper rolesFromIdToken() {
        return authorities -> {
            Collection<GrantedAuthority> mapped = new ArrayList<>(authorities);
            for (GrantedAuthority authority : authorities) {
                if (authority instanceof OidcUserAuthority oidc) {
                    List<String> roles = oidc.getIdToken().getClaimAsStringList("roles");
                    if (roles != null) {
                        roles.forEach(role -> mapped.add(new SimpleGrantedAuthority("ROLE_" + role)));
                    }
                }
            }
            return mapped;
        };
    }
}
