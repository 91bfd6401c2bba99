package dev.surge.gateway.security;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A minimal browser for the sign-in tests: follows nothing by itself (each redirect is a step the
 * test checks), keeps the cookies each server sets, per host and port, and sends them back.
 */
final class Browser {

    private final HttpClient client = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final Map<String, Map<String, String>> cookies = new LinkedHashMap<>();

    HttpResponse<String> get(String url) {
        return send(request(url).GET(), url);
    }

    HttpResponse<String> get(String url, Map<String, String> headers) {
        HttpRequest.Builder request = request(url).GET();
        headers.forEach(request::header);
        return send(request, url);
    }

    HttpResponse<String> postForm(String url, Map<String, String> form, Map<String, String> headers) {
        String body = form.entrySet().stream()
                .map(field -> encode(field.getKey()) + "=" + encode(field.getValue()))
                .collect(Collectors.joining("&"));
        HttpRequest.Builder request = request(url)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return send(request, url);
    }

    HttpResponse<String> postJson(String url, String json, Map<String, String> headers) {
        HttpRequest.Builder request = request(url)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        headers.forEach(request::header);
        return send(request, url);
    }

    /** A cookie as this browser holds it for the server of {@code url}, or null. */
    String cookie(String url, String name) {
        return cookies.getOrDefault(origin(URI.create(url)), Map.of()).get(name);
    }

    void setCookie(String url, String name, String value) {
        cookies.computeIfAbsent(origin(URI.create(url)), key -> new LinkedHashMap<>()).put(name, value);
    }

    static String location(HttpResponse<?> response) {
        return response.headers().firstValue("Location").orElseThrow(() ->
                new AssertionError("no Location header; status " + response.statusCode()));
    }

    static List<String> setCookies(HttpResponse<?> response, String name) {
        return response.headers().allValues("Set-Cookie").stream()
                .filter(header -> header.startsWith(name + "="))
                .toList();
    }

    private HttpRequest.Builder request(String url) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        Map<String, String> held = cookies.getOrDefault(origin(URI.create(url)), Map.of());
        if (!held.isEmpty()) {
            request.header("Cookie", held.entrySet().stream()
                    .map(cookie -> cookie.getKey() + "=" + cookie.getValue())
                    .collect(Collectors.joining("; ")));
        }
        return request;
    }

    private HttpResponse<String> send(HttpRequest.Builder request, String url) {
        try {
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            keepCookies(url, response);
            return response;
        }
        catch (IOException e) {
            throw new IllegalStateException(e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void keepCookies(String url, HttpResponse<?> response) {
        Map<String, String> jar = cookies.computeIfAbsent(origin(URI.create(url)), key -> new LinkedHashMap<>());
        for (String header : response.headers().allValues("Set-Cookie")) {
            String pair = header.split(";", 2)[0];
            int equals = pair.indexOf('=');
            String name = pair.substring(0, equals).trim();
            String value = pair.substring(equals + 1).trim();
            boolean expired = header.toLowerCase().contains("max-age=0") || value.isEmpty();
            if (expired) {
                jar.remove(name);
            }
            else {
                jar.put(name, value);
            }
        }
    }

    private static String origin(URI uri) {
        return uri.getHost() + ":" + uri.getPort();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
