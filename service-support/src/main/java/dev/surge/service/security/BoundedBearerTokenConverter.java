package dev.surge.service.security;

import org.springframework.http.HttpHeaders;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.server.resource.BearerTokenErrors;
import org.springframework.security.oauth2.server.resource.web.server.authentication.ServerBearerTokenAuthenticationConverter;
import org.springframework.security.web.server.authentication.ServerAuthenticationConverter;
import org.springframework.web.server.ServerWebExchange;

import reactor.core.publisher.Mono;

/**
 * Reads the bearer token from the {@code Authorization} header only (never a query parameter,
 * which ends up in logs) and refuses one longer than {@value #MAX_HEADER_LENGTH} characters before
 * anything parses it: real access tokens are 1–2 KB; a huge one is an attack on the parser.
 */
public final class BoundedBearerTokenConverter implements ServerAuthenticationConverter {

    public static final int MAX_HEADER_LENGTH = 8 * 1024;

    private final ServerBearerTokenAuthenticationConverter delegate = new ServerBearerTokenAuthenticationConverter();

    @Override
    public Mono<Authentication> convert(ServerWebExchange exchange) {
        String header = exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
        if (header != null && header.length() > MAX_HEADER_LENGTH) {
            return Mono.error(new OAuth2AuthenticationException(BearerTokenErrors.invalidToken("The token is too long.")));
        }
        return delegate.convert(exchange);
    }
}
