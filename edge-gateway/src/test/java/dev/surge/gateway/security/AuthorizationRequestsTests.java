package dev.surge.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.InMemoryReactiveClientRegistrationRepository;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;

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

    private static OAuth2AuthorizationRequest resolve(String audience) {
        return BrowserSecurityConfiguration.authorizationRequests(CLIENTS, audience)
                .resolve(MockServerWebExchange.from(MockServerHttpRequest.get("http://shop.test/oauth2/authorization/surge")))
                .block(Duration.ofSeconds(5));
    }
}
