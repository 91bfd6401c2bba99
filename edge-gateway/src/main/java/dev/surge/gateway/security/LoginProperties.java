package dev.surge.gateway.security;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
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
 * @param signUp what to add to the authorization request to open the provider's sign-up rather
 *        than its sign-in, as a query string: {@code prompt=create} (OpenID Connect's "Initiating
 *        User Registration": Keycloak, the dev provider; the default), {@code screen_hint=signup}
 *        (Auth0); {@code none} or empty: the provider has no sign-up, and the app offers no "Register"
 */
@ConfigurationProperties("surge.gateway.login")
public record LoginProperties(String registrationId, String successUrl, String failureUrl, String postLogoutUrl,
        Duration refreshBeforeExpiry, String sessionCookie, CookieSecurity secureCookies, Duration pendingTimeout,
        String audience, String signUp) {

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
        signUp = signUp != null ? signUp.strip() : "prompt=create";
        signUpParameters(signUp);
    }

    /** {@code sign-up} as parameters; fails at start on a part that is not {@code name=value}. */
    public Map<String, String> signUpParameters() {
        return signUpParameters(signUp);
    }

    private static Map<String, String> signUpParameters(String signUp) {
        if (signUp.isEmpty() || signUp.equals("none")) {
            return Map.of();
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String part : signUp.split("&")) {
            int equals = part.indexOf('=');
            if (equals <= 0 || equals == part.length() - 1) {
                throw new IllegalArgumentException("surge.gateway.login.sign-up: '" + part
                        + "' is not name=value (e.g. prompt=create, or none for a provider without a sign-up)");
            }
            parameters.put(part.substring(0, equals), part.substring(equals + 1));
        }
        return Collections.unmodifiableMap(parameters);
    }

    /** Where the app sends someone to register: the sign-in start with {@code sign-up}; none without a sign-up. */
    public String signUpUrl() {
        return signUpParameters().isEmpty() ? null : loginUrl() + "?" + SignUpRequests.SIGN_UP;
    }

    /** Where the app sends someone to sign in: the start of the authorization code flow. */
    public String loginUrl() {
        return "/oauth2/authorization/" + registrationId;
    }
}
