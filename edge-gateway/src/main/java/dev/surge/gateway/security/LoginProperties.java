package dev.surge.gateway.security;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The browser's sign-in at the gateway ({@code surge.gateway.login.*}); the provider and the
 * client are {@code spring.security.oauth2.client.*}.
 *
 * @param registrationId the client registration browsers sign in with
 * @param successUrl where the browser lands after signing in (the app)
 * @param failureUrl where it lands when sign-in fails; the app shows the error
 * @param postLogoutUrl where the provider sends the browser back after signing out
 * @param refreshBeforeExpiry an access token this close to expiry is refreshed before it is relayed
 * @param sessionCookie the session cookie's name ({@code __Host-}-prefixed in production, which
 *        needs {@code secure-cookies: always})
 * @param secureCookies {@code auto}: cookies are Secure when the gateway itself sees HTTPS;
 *        {@code always}: for a gateway behind a proxy that terminates TLS
 * @param pendingTimeout how long a session that has started signing in but not finished lives
 * @param audience the API audience to ask the provider for, for providers that issue a JWT access
 *        token only when asked for one (Auth0); none by default
 */
@ConfigurationProperties("surge.gateway.login")
public record LoginProperties(String registrationId, String successUrl, String failureUrl, String postLogoutUrl,
        Duration refreshBeforeExpiry, String sessionCookie, CookieSecurity secureCookies, Duration pendingTimeout,
        String audience) {

    public enum CookieSecurity {
        AUTO, ALWAYS
    }


    public LoginProperties {
        registrationId = registrationId != null ? registrationId : "surge";
        successUrl = successUrl != null ? successUrl : "/";
        failureUrl = failureUrl != null ? failureUrl : "/?login=failed";
        postLogoutUrl = postLogoutUrl != null ? postLogoutUrl : "{baseUrl}/";
        refreshBeforeExpiry = refreshBeforeExpiry != null ? refreshBeforeExpiry : Duration.ofSeconds(60);
        sessionCookie = sessionCookie != null ? sessionCookie : "SURGE_SESSION";
        secureCookies = secureCookies != null ? secureCookies : CookieSecurity.AUTO;
        pendingTimeout = pendingTimeout != null ? pendingTimeout : Duration.ofMinutes(10);
    }
}
