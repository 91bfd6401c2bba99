package dev.surge.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.http.ResponseCookie;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

class SessionCookieResolverTests {

    private final SessionCookieResolver resolver = new SessionCookieResolver("SURGE_SESSION", false);

    @Test
    void theCookieIsSecureOverHttpsOnly() {
        MockServerWebExchange https = MockServerWebExchange.from(MockServerHttpRequest.get("https://shop.test/api/session"));
        resolver.setSessionId(https, "abc");
        ResponseCookie secure = https.getResponse().getCookies().getFirst("SURGE_SESSION");
        assertThat(secure.isSecure()).isTrue();
        assertThat(secure.isHttpOnly()).isTrue();
        assertThat(secure.getSameSite()).isEqualTo("Lax");
        assertThat(secure.getPath()).isEqualTo("/");
        assertThat(secure.getMaxAge().isNegative()).as("a browser-session cookie").isTrue();

        MockServerWebExchange http = MockServerWebExchange.from(MockServerHttpRequest.get("http://127.0.0.1/api/session"));
        resolver.setSessionId(http, "abc");
        assertThat(http.getResponse().getCookies().getFirst("SURGE_SESSION").isSecure()).isFalse();
    }

    @Test
    void behindATlsProxyTheCookieCanBeAlwaysSecure() {
        MockServerWebExchange proxied = MockServerWebExchange.from(MockServerHttpRequest.get("http://10.0.0.5/api/session"));
        new SessionCookieResolver("__Host-SURGE_SESSION", true).setSessionId(proxied, "abc");
        assertThat(proxied.getResponse().getCookies().getFirst("__Host-SURGE_SESSION").isSecure()).isTrue();
    }

    @Test
    void expiringClearsTheCookie() {
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("https://shop.test/logout"));
        resolver.expireSession(exchange);
        ResponseCookie cleared = exchange.getResponse().getCookies().getFirst("SURGE_SESSION");
        assertThat(cleared.getValue()).isEmpty();
        assertThat(cleared.getMaxAge()).isZero();
    }

    @Test
    void readsOnlyItsOwnCookie() {
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/")
                .cookie(new org.springframework.http.HttpCookie("SESSION", "other"),
                        new org.springframework.http.HttpCookie("SURGE_SESSION", "mine")));
        assertThat(resolver.resolveSessionIds(exchange)).containsExactly("mine");
    }
}
