package dev.surge.gateway.client;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RequestPredicate;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import reactor.core.publisher.Mono;

import static org.springframework.web.reactive.function.server.RequestPredicates.GET;

/**
 * The shop's browser client on the same origin as the API ({@code http://127.0.0.1:8080/}): the files of
 * the Angular build as they are, and {@code index.html} for any other page address a browser asks for
 * ({@code /products/SKU-1}, {@code /cart}: the client's router draws them), so a reload or a shared link
 * works. The API, sign-in and actuator paths are never answered here: a file or page route cannot hide
 * one. {@code index.html} is never cached (it names the hashed bundles of the current build); the hashed
 * bundles may be cached for a year.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ClientProperties.class)
class ClientPages {

    /** Paths that belong to the gateway and the services, never to the client. */
    static final List<String> NOT_CLIENT = List.of("/api/", "/oauth2/", "/login", "/logout", "/actuator");

    /** Angular's output hashing: {@code main-5LBWQ3CJ.js}, {@code styles-RTQZ6J7X.css}, {@code chunk-....js}. */
    private static final Pattern HASHED = Pattern.compile(".+-[A-Z0-9]{8,}\\.(js|css)");

    @Bean
    RouterFunction<ServerResponse> clientRoutes(ClientProperties properties) {
        if (properties.directory().isBlank()) {
            return request -> Mono.empty();
        }
        Path directory = Path.of(properties.directory()).toAbsolutePath().normalize();
        if (!Files.isRegularFile(directory.resolve("index.html"))) {
            throw new IllegalStateException("surge.gateway.client.directory has no index.html: " + directory
                    + " (build the client: cd angular-client && npm ci && npm run build)");
        }
        FileSystemResource index = new FileSystemResource(directory.resolve("index.html"));
        RequestPredicate clientPath = request -> NOT_CLIENT.stream().noneMatch(request.path()::startsWith);
        Function<ServerRequest, Mono<Resource>> files = RouterFunctions.resourceLookupFunction("/**",
                new FileSystemResource(directory + "/"));
        RouterFunction<ServerResponse> assets = RouterFunctions.resources(
                request -> clientPath.test(request) ? files.apply(request) : Mono.empty(), ClientPages::cacheHeaders);
        // a browser navigating names text/html; an API client asking */* for a path nobody has gets the 404 problem
        RequestPredicate page = GET("/**").and(request -> request.headers().accept().stream()
                        .anyMatch(type -> "text".equals(type.getType()) && "html".equals(type.getSubtype())))
                .and(clientPath)
                .and(request -> !request.path().substring(request.path().lastIndexOf('/') + 1).contains("."));
        return assets.and(RouterFunctions.route(page, request -> ServerResponse.ok()
                .contentType(MediaType.TEXT_HTML)
                .cacheControl(CacheControl.noCache())
                .bodyValue(index)));
    }

    /** A bundle whose name carries its content hash never changes: a year; anything else is checked each time. */
    static void cacheHeaders(Resource resource, HttpHeaders headers) {
        String name = resource.getFilename() == null ? "" : resource.getFilename();
        headers.setCacheControl(HASHED.matcher(name).matches()
                ? CacheControl.maxAge(Duration.ofDays(365)).cachePublic().immutable()
                : CacheControl.noCache());
    }
}
