package dev.surge.service.security;

import java.nio.charset.StandardCharsets;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.server.resource.BearerTokenError;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;

import dev.surge.service.web.ProblemHandler;
import reactor.core.publisher.Mono;

/**
 * 401 and 403 as RFC 9457 problems, for every service's resource-server chain. The detail says
 * what is wrong with the token in general terms only: which check failed is logged by Spring
 * Security, never told to the caller.
 */
public final class ProblemResponses {

    private ProblemResponses() {
    }

    /** 401 {@code unauthorized}, with {@code WWW-Authenticate: Bearer} (RFC 6750). */
    public static ServerAuthenticationEntryPoint unauthorized() {
        return unauthorized("A valid bearer token is required.");
    }

    /** 401 {@code unauthorized} with the given detail, with {@code WWW-Authenticate: Bearer}. */
    public static ServerAuthenticationEntryPoint unauthorized(String detail) {
        return (exchange, failure) -> {
            ServerHttpResponse response = exchange.getResponse();
            response.getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, wwwAuthenticate(failure));
            return write(response, HttpStatus.UNAUTHORIZED, "unauthorized", "Unauthorized", detail);
        };
    }

    /** 403 {@code forbidden}: the token is valid, the role is missing. */
    public static ServerAccessDeniedHandler forbidden() {
        return (exchange, denied) -> write(exchange.getResponse(), HttpStatus.FORBIDDEN, "forbidden", "Forbidden",
                "This token does not allow this request.");
    }

    private static String wwwAuthenticate(AuthenticationException failure) {
        if (failure instanceof OAuth2AuthenticationException oauth && oauth.getError() instanceof BearerTokenError error) {
            return "Bearer error=\"" + error.getErrorCode() + "\"";
        }
        return "Bearer";
    }

    /** Writes a problem document; {@code type} is appended to the shared type base. */
    public static Mono<Void> write(ServerHttpResponse response, HttpStatus status, String type, String title,
            String detail) {
        response.setStatusCode(status);
        response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        String body = "{\"type\":\"" + ProblemHandler.TYPE_BASE + type + "\",\"title\":\"" + title + "\",\"status\":" + status.value()
                + ",\"detail\":\"" + detail + "\"}";
        return response.writeWith(Mono.fromSupplier(() ->
                response.bufferFactory().wrap(body.getBytes(StandardCharsets.UTF_8))));
    }
}
