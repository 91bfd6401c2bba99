package dev.surge.gateway.security;

import java.security.Principal;
import java.util.List;
import java.util.Map;

import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.client.authentication.OAuth2AuthenticationToken;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.security.web.server.csrf.CsrfToken;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;

import reactor.core.publisher.Mono;

/**
 * What the app asks first: is anyone signed in, who, with which roles, and where to sign in or
 * out. Answering also sets the XSRF-TOKEN cookie the app's unsafe requests will need. It never
 * returns a token.
 */
@RestController
class SessionController {

    static final String PATH = "/api/session";

    /** Both fixed by configuration: worked out once, not at every ask. */
    private final String loginUrl;
    private final String signUpUrl;

    SessionController(LoginProperties login) {
        this.loginUrl = login.loginUrl();
        this.signUpUrl = login.signUpUrl();
    }

    @GetMapping(PATH)
    Mono<SessionView> session(ServerWebExchange exchange) {
        Mono<CsrfToken> csrf = exchange.getAttributeOrDefault(CsrfToken.class.getName(), Mono.empty());
        return csrf.then(exchange.getPrincipal()
                .filter(principal -> !(principal instanceof AnonymousAuthenticationToken))
                .map(this::signedIn)
                .defaultIfEmpty(SessionView.anonymous(loginUrl, signUpUrl)));
    }

    private SessionView signedIn(Principal principal) {
        List<String> roles = principal instanceof Authentication authentication
                ? authentication.getAuthorities().stream()
                        .map(GrantedAuthority::getAuthority)
                        .filter(authority -> authority.startsWith("ROLE_"))
                        .map(authority -> authority.substring("ROLE_".length()))
                        .distinct()
                        .toList()
                : List.of();
        Map<String, Object> claims = switch (principal) {
            case OAuth2AuthenticationToken oauth when oauth.getPrincipal() instanceof OidcUser user -> user.getClaims();
            case JwtAuthenticationToken jwt -> jwt.getTokenAttributes();
            default -> Map.of();
        };
        String subject = claims.getOrDefault("sub", principal.getName()).toString();
        return new SessionView(true, subject, text(claims, "name"), text(claims, "email"), roles, loginUrl, signUpUrl,
                "/logout");
    }

    private static String text(Map<String, Object> claims, String name) {
        Object value = claims.get(name);
        return value == null ? null : value.toString();
    }

    /**
     * The signed-in shopper as the app sees them; no tokens, ever. {@code signUpUrl} is null when the
     * provider has no sign-up.
     */
    record SessionView(boolean authenticated, String subject, String name, String email, List<String> roles,
            String loginUrl, String signUpUrl, String logoutUrl) {

        static SessionView anonymous(String loginUrl, String signUpUrl) {
            return new SessionView(false, null, null, null, List.of(), loginUrl, signUpUrl, "/logout");
        }
    }
}
