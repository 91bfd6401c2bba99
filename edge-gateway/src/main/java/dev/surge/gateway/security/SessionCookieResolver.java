package dev.surge.gateway.security;

import java.util.List;

import org.springframework.http.HttpCookie;
import org.springframework.http.ResponseCookie;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.session.WebSessionIdResolver;

/**
 * The session cookie: HttpOnly (no script ever reads it), SameSite=Lax (sent on the provider's
 * redirect back to the gateway, a top-level navigation, but not on cross-site requests), Secure
 * whenever the request came over HTTPS (or always, behind a TLS-terminating proxy), path {@code /}, no expiry (it ends with the browser; the
 * session itself times out in Redis).
 */
final class SessionCookieResolver implements WebSessionIdResolver {

    private final String name;
    private final boolean alwaysSecure;

    SessionCookieResolver(String name, boolean alwaysSecure) {
        this.name = name;
        this.alwaysSecure = alwaysSecure;
    }

    @Override
    public List<String> resolveSessionIds(ServerWebExchange exchange) {
        List<HttpCookie> cookies = exchange.getRequest().getCookies().get(name);
        return cookies == null ? List.of() : cookies.stream().map(HttpCookie::getValue).toList();
    }

    @Override
    public void setSessionId(ServerWebExchange exchange, String id) {
        exchange.getResponse().getCookies().set(name, cookie(exchange.getRequest(), id).build());
    }

    @Override
    public void expireSession(ServerWebExchange exchange) {
        exchange.getResponse().getCookies().set(name, cookie(exchange.getRequest(), "").maxAge(0).build());
    }

    private ResponseCookie.ResponseCookieBuilder cookie(ServerHttpRequest request, String value) {
        return ResponseCookie.from(name, value)
                .path("/")
                .httpOnly(true)
                .sameSite("Lax")
                .secure(alwaysSecure || overHttps(request));
    }

    static boolean overHttps(ServerHttpRequest request) {
        return request.getSslInfo() != null || "https".equalsIgnoreCase(request.getURI().getScheme());
    }
}
