package dev.surge.gateway.security;

import java.net.URI;

import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ReactiveClientRegistrationRepository;
import org.springframework.security.web.server.DefaultServerRedirectStrategy;
import org.springframework.security.web.server.ServerRedirectStrategy;
import org.springframework.security.web.server.WebFilterExchange;
import org.springframework.security.web.server.authentication.logout.ServerLogoutSuccessHandler;
import org.springframework.web.util.UriComponentsBuilder;

import reactor.core.publisher.Mono;

/**
 * After the gateway's session is gone, sends the browser to the provider's end-session endpoint
 * (OpenID Connect RP-Initiated Logout) so the provider's sign-in ends too, naming the client by
 * {@code client_id} rather than by {@code id_token_hint}: the usual hint would put the ID token in
 * the browser's address bar and history, and no token ever goes to the browser here. Without an
 * end-session endpoint the browser goes straight to the post-logout URL.
 */
final class EndProviderSession implements ServerLogoutSuccessHandler {

    private final ReactiveClientRegistrationRepository clients;
    private final String registrationId;
    private final String postLogoutUrl;
    private final ServerRedirectStrategy redirect = new DefaultServerRedirectStrategy();

    EndProviderSession(ReactiveClientRegistrationRepository clients, String registrationId, String postLogoutUrl) {
        this.clients = clients;
        this.registrationId = registrationId;
        this.postLogoutUrl = postLogoutUrl;
    }

    @Override
    public Mono<Void> onLogoutSuccess(WebFilterExchange exchange, Authentication authentication) {
        String back = postLogoutUrl.replace("{baseUrl}", baseUrl(exchange.getExchange().getRequest()));
        return clients.findByRegistrationId(registrationId)
                .flatMap(client -> Mono.justOrEmpty(endSession(client, back)))
                .defaultIfEmpty(URI.create(back))
                .flatMap(target -> redirect.sendRedirect(exchange.getExchange(), target));
    }

    private static URI endSession(ClientRegistration client, String back) {
        Object endpoint = client.getProviderDetails().getConfigurationMetadata().get("end_session_endpoint");
        if (endpoint == null) {
            return null;
        }
        return UriComponentsBuilder.fromUriString(endpoint.toString())
                .queryParam("client_id", client.getClientId())
                .queryParam("post_logout_redirect_uri", back)
                .encode()
                .build()
                .toUri();
    }

    private static String baseUrl(ServerHttpRequest request) {
        return UriComponentsBuilder.fromUri(request.getURI()).replacePath(null).replaceQuery(null).fragment(null)
                .build().toUriString();
    }
}
