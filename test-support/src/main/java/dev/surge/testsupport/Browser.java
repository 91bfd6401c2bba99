package dev.surge.testsupport;

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
 * A minimal browser for sign-in tests: follows nothing by itself (each redirect is a step the
 * test checks), keeps the cookies each server sets, per host and port, and sends them back.
 */
public final class Browser {

    private final HttpClient client = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final Map<String, Map<String, String>> cookies = new LinkedHashMap<>();

    public HttpResponse<String> get(String url) {
        return send(request(url).GET(), url);
    }

    public HttpResponse<String> get(String url, Map<String, String> headers) {
        HttpRequest.Builder request = request(url).GET();
        headers.forEach(request::header);
        return send(request, url);
    }

    public HttpResponse<String> postForm(String url, Map<String, String> form, Map<String, String> headers) {
        String body = form.entrySet().stream()
                .map(field -> encode(field.getKey()) + "=" + encode(field.getValue()))
                .collect(Collectors.joining("&"));
        HttpRequest.Builder request = request(url)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return send(request, url);
    }

    public HttpResponse<String> postJson(String url, String json, Map<String, String> headers) {
        return sendJson("POST", url, json, headers);
    }

    /** A request with a JSON body and any method (PUT, PATCH, DELETE...). */
    public HttpResponse<String> sendJson(String method, String url, String json, Map<String, String> headers) {
        HttpRequest.Builder request = request(url)
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json));
        headers.forEach(request::header);
        return send(request, url);
    }

    /**
     * Signs in at a Surge gateway against the test {@link IdentityProvider}: start, the provider's
     * login form answered as {@code user} with extra {@code claims} (JSON), the code back to the
     * gateway; returns the gateway's last answer (a redirect to the app).
     */
    public HttpResponse<String> signIn(String gatewayUrl, String user, String claims) {
        String authorize = location(get(gatewayUrl + "/oauth2/authorization/surge"));
        String callback = location(postForm(authorize, Map.of("username", user, "claims", claims), Map.of()));
        return get(callback);
    }

    /**
     * Opens a Server-Sent Events stream as {@code EventSource} does (this browser's cookies, {@code Accept:
     * text/event-stream}, no time limit) and reads its lines in the background until the server ends it or
     * the stream is closed.
     */
    public EventStream stream(String url) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/event-stream").GET();
        Map<String, String> held = cookies.getOrDefault(origin(URI.create(url)), Map.of());
        if (!held.isEmpty()) {
            request.header("Cookie", held.entrySet().stream()
                    .map(cookie -> cookie.getKey() + "=" + cookie.getValue())
                    .collect(Collectors.joining("; ")));
        }
        EventStream stream = new EventStream();
        stream.response = client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofLines())
                .thenApply(response -> {
                    stream.status = response.statusCode();
                    Thread reader = Thread.ofVirtual().name("sse-reader").start(() -> {
                        try (java.util.stream.Stream<String> lines = response.body()) {
                            lines.forEach(stream.lines::add);
                        }
                        catch (RuntimeException closed) {
                            // the test closed the stream, or the connection broke: what came stays readable
                        }
                        finally {
                            stream.ended = true;
                        }
                    });
                    stream.reader = reader;
                    return response;
                });
        return stream;
    }

    /** An open event stream's lines as they came ({@code id:}, {@code event:}, {@code data:}, {@code :comment}, blank). */
    public static final class EventStream implements AutoCloseable {

        private final List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
        private volatile java.util.concurrent.CompletableFuture<HttpResponse<java.util.stream.Stream<String>>> response;
        private volatile Thread reader;
        private volatile int status;
        private volatile boolean ended;

        /** Every line so far. */
        public List<String> lines() {
            return List.copyOf(lines);
        }

        /** The data of every event so far. */
        public List<String> data() {
            return lines.stream().filter(line -> line.startsWith("data:")).map(line -> line.substring(5).strip()).toList();
        }

        /** The response's status, 0 until its headers came. */
        public int status() {
            return status;
        }

        /** Whether the server ended the stream (or the connection broke). */
        public boolean ended() {
            return ended;
        }

        @Override
        public void close() {
            response.cancel(true);
            response.thenAccept(open -> open.body().close());
            if (reader != null) {
                reader.interrupt();
            }
        }
    }

    /** A cookie as this browser holds it for the server of {@code url}, or null. */
    public String cookie(String url, String name) {
        return cookies.getOrDefault(origin(URI.create(url)), Map.of()).get(name);
    }

    public void setCookie(String url, String name, String value) {
        cookies.computeIfAbsent(origin(URI.create(url)), key -> new LinkedHashMap<>()).put(name, value);
    }

    public static String location(HttpResponse<?> response) {
        return response.headers().firstValue("Location").orElseThrow(() ->
                new AssertionError("no Location header; status " + response.statusCode()));
    }

    public static List<String> setCookies(HttpResponse<?> response, String name) {
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
