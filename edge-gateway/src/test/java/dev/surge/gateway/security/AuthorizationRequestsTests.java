package dev.surge.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.InMemoryReactiveClientRegistrationRepository;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.web.util.UriComponentsBuilder;

class AuthorizationRequestsTests {

    private static final InMemoryReactiveClientRegistrationRepository CLIENTS = new InMemoryReactiveClientRegistrationRepository(
            ClientRegistration.withRegistrationId("surge")
                    .clientId("surge-web").clientSecret("secret")
                    .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                    .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
                    .redirectUri("{baseUrl}/login/oauth2/code/{registrationId}")
                    .scope("openid", "profile")
                    .authorizationUri("https://idp.test/authorize").tokenUri("https://idp.test/token")
                    .jwkSetUri("https://idp.test/jwks").build());

    @Test
    void aConfidentialClientStillSendsAPkceChallenge() {
        OAuth2AuthorizationRequest request = resolve(null);
        assertThat(request.getAdditionalParameters()).containsEntry("code_challenge_method", "S256")
                .containsKey("code_challenge").doesNotContainKey("audience");
        assertThat(request.getAttributes()).containsKey("code_verifier");
    }

    @Test
    void theApiAudienceIsAskedForWhenSet() {
        assertThat(resolve("https://api.surge.shop").getAdditionalParameters())
                .containsEntry("audience", "https://api.surge.shop")
                .containsKey("code_challenge");
    }

    @Test
    void aSignUpAsksForTheProvidersSignUpPageAndIsOtherwiseTheSignIn() {
        OAuth2AuthorizationRequest request = resolve(null, Map.of("prompt", "create"), "/oauth2/authorization/surge?sign-up");
        assertThat(request.getAdditionalParameters()).containsEntry("prompt", "create").containsKey("code_challenge");
        Map<String, String> sent = UriComponentsBuilder.fromUriString(request.getAuthorizationRequestUri()).build()
                .getQueryParams().toSingleValueMap();
        assertThat(sent).containsEntry("prompt", "create").containsEntry("response_type", "code")
                .containsEntry("code_challenge_method", "S256").containsKeys("state", "nonce", "code_challenge");
        assertThat(request.getAttributes()).containsKey("code_verifier");
    }

    @Test
    void aPlainSignInAsksForNoSignUp() {
        OAuth2AuthorizationRequest request = resolve(null, Map.of("prompt", "create"), "/oauth2/authorization/surge");
        assertThat(request.getAdditionalParameters()).doesNotContainKey("prompt");
        assertThat(request.getAuthorizationRequestUri()).doesNotContain("prompt");
    }

    @Test
    void withoutSignUpParametersASignUpIsASignIn() {
        OAuth2AuthorizationRequest request = resolve(null, Map.of(), "/oauth2/authorization/surge?sign-up");
        assertThat(request.getAdditionalParameters()).doesNotContainKey("prompt").doesNotContainKey("screen_hint");
        assertThat(login("none").signUpUrl()).as("and the app is told there is no sign-up").isNull();
        assertThat(login("").signUpUrl()).isNull();
    }

    @Test
    void theSignUpParametersAreAQueryStringPromptCreateByDefault() {
        assertThat(login(null).signUpParameters()).containsExactly(Map.entry("prompt", "create"));
        assertThat(login(null).signUpUrl()).isEqualTo("/oauth2/authorization/surge?sign-up");
        assertThat(login(" screen_hint=signup&ui_locales=de ").signUpParameters())
                .containsExactly(Map.entry("screen_hint", "signup"), Map.entry("ui_locales", "de"));
        assertThatThrownBy(() -> login("prompt")).hasMessageContaining("'prompt' is not name=value");
        assertThatThrownBy(() -> login("prompt=")).hasMessageContaining("is not name=value");
    }

    private static LoginProperties login(String signUp) {
        return new LoginProperties(null, null, null, null, null, null, null, null, null, signUp);
    }

    private static OAuth2AuthorizationRequest resolve(String audience) {
        return resolve(audience, Map.of(), "/oauth2/authorization/surge");
    }

    private static OAuth2AuthorizationRequest resolve(String audience, Map<String, String> signUp, String path) {
        return BrowserSecurityConfiguration.authorizationRequests(CLIENTS, audience, signUp)
                .resolve(MockServerWebExchange.from(MockServerHttpRequest.get("http://shop.test" + path)))
                .block(Duration.ofSeconds(5));
    }
}
