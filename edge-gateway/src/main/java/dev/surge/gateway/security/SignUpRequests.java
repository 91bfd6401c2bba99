package dev.surge.gateway.security;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.springframework.security.oauth2.client.web.server.ServerOAuth2AuthorizationRequestResolver;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.util.UriComponentsBuilder;
import org.springframework.web.util.UriUtils;

import reactor.core.publisher.Mono;

/**
 * "Register": a sign-in started with {@code ?sign-up} ({@code /oauth2/authorization/surge?sign-up})
 * asks the provider for its sign-up page with the provider's own parameters
 * ({@code surge.gateway.login.sign-up-parameters}). Everything else about the request, PKCE, state
 * and nonce included, is the sign-in's: the shopper comes back signed in, as after a sign-in.
 */
final class SignUpRequests implements ServerOAuth2AuthorizationRequestResolver {

    static final String SIGN_UP = "sign-up";

    private final ServerOAuth2AuthorizationRequestResolver signIn;
    private final Map<String, String> parameters;

    SignUpRequests(ServerOAuth2AuthorizationRequestResolver signIn, Map<String, String> parameters) {
        this.signIn = signIn;
        this.parameters = Map.copyOf(parameters);
    }

    @Override
    public Mono<OAuth2AuthorizationRequest> resolve(ServerWebExchange exchange) {
        return signIn.resolve(exchange).map(request -> forSignUp(exchange, request));
    }

    @Override
    public Mono<OAuth2AuthorizationRequest> resolve(ServerWebExchange exchange, String clientRegistrationId) {
        return signIn.resolve(exchange, clientRegistrationId).map(request -> forSignUp(exchange, request));
    }

    private OAuth2AuthorizationRequest forSignUp(ServerWebExchange exchange, OAuth2AuthorizationRequest request) {
        if (!exchange.getRequest().getQueryParams().containsKey(SIGN_UP)) {
            return request;
        }
        UriComponentsBuilder uri = UriComponentsBuilder.fromUriString(request.getAuthorizationRequestUri());
        parameters.forEach((name, value) -> uri.replaceQueryParam(UriUtils.encodeQueryParam(name, StandardCharsets.UTF_8),
                UriUtils.encodeQueryParam(value, StandardCharsets.UTF_8)));
        return OAuth2AuthorizationRequest.from(request)
                .additionalParameters(additional -> additional.putAll(parameters))
                .authorizationRequestUri(uri.build(true).toUriString())
                .build();
    }
}
