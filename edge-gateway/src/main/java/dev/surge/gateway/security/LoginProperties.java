package dev.surge.gateway.security;

import java.time.Duration;
import java.util.Map;

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
 * @param signUpParameters what to add to the authorization request to open the provider's sign-up
 *        rather than its sign-in ({@code prompt: create}, OpenID Connect's "Initiating User
 *        Registration", for Keycloak and the dev provider; {@code screen_hint: signup} for Auth0);
 *        none: the provider has no sign-up, and the app offers no "Register"
 */
@ConfigurationProperties("surge.gateway.login")
public record LoginProperties(String registrationId, String successUrl, String failureUrl, String postLogoutUrl,
        Duration refreshBeforeExpiry, String sessionCookie, CookieSecurity secureCookies, Duration pendingTimeout,
        String audience, Map<String, String> signUpParameters) {

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
        signUpParameters = signUpParameters != null ? Map.copyOf(signUpParameters) : Map.of();
    }

    /** Where the app sends someone to register: the sign-in start with {@code sign-up}; none without a sign-up. */
    public String signUpUrl() {
        return signUpParameters.isEmpty() ? null : loginUrl() + "?" + SignUpRequests.SIGN_UP;
    }

    /** Where the app sends someone to sign in: the start of the authorization code flow. */
    public String loginUrl() {
        return "/oauth2/authorization/" + registrationId;
    }
}
