import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Commit to browser: how long after cart-order commits an order's status change the event reaches an
 * SSE client through the gateway. Opens one all-my-orders stream ({@code GET /api/orders/events}) per
 * shopper through the gateway, places "buy now" orders at a fixed rate, each for one of the shoppers,
 * and for every status change that arrives (not the detail-only changes) takes the receipt time minus
 * the change's {@code statusChangedAt}: the instant cart-order gave the event inside its transaction,
 * a little before the commit, so the figure slightly overstates the real delay. Client and services
 * share one clock (one machine). Prints p50/p90/p99/max and counts, then exits.
 *
 * <pre>java bench/CommitToBrowser.java &lt;shoppers&gt; &lt;orders-per-second&gt; &lt;seconds&gt; &lt;order-body-json&gt;</pre>
 *
 * Environment: GATEWAY (http://127.0.0.1:8080), ISSUER (the dev identity provider's issuer), RUN (a
 * prefix for shopper names and idempotency keys).
 */
public class CommitToBrowser {

    private static final Pattern STATUS = Pattern.compile("\"orderId\":\"([^\"]+)\",\"status\":\"([A-Z_]+)\"");
    private static final Pattern CHANGED_AT = Pattern.compile("\"statusChangedAt\":\"([^\"]+)\"");
    private static final Pattern TOKEN = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"");

    private static final java.util.concurrent.Semaphore OPENING = new java.util.concurrent.Semaphore(64);
    private static final Map<String, Integer> refusals = new ConcurrentHashMap<>();

    public static void main(String[] args) throws Exception {
        int shoppers = Integer.parseInt(args[0]);
        double rate = Double.parseDouble(args[1]);
        int seconds = Integer.parseInt(args[2]);
        String body = args[3];
        String gateway = System.getenv().getOrDefault("GATEWAY", "http://127.0.0.1:8080");
        String issuer = System.getenv().getOrDefault("ISSUER", "http://127.0.0.1:9000/surge");
        String run = System.getenv().getOrDefault("RUN", "c2b-" + System.currentTimeMillis());

        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .build();
        List<String> tokens = Collections.synchronizedList(new ArrayList<>());
        try (var pool = Executors.newFixedThreadPool(8)) {
            for (int i = 0; i < shoppers; i++) {
                String user = run + "-shopper-" + i;
                pool.submit(() -> tokens.add(token(http, issuer, user)));
            }
        }
        if (tokens.size() != shoppers) {
            throw new IllegalStateException("got " + tokens.size() + " tokens of " + shoppers);
        }

        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        Map<String, String> lastStatus = new ConcurrentHashMap<>();
        AtomicInteger open = new AtomicInteger();
        AtomicInteger streamFailures = new AtomicInteger();
        CountDownLatch opened = new CountDownLatch(shoppers);
        var streams = Executors.newVirtualThreadPerTaskExecutor();
        for (String token : tokens) {
            streams.submit(() -> follow(http, gateway, token, opened, open, streamFailures, lastStatus, latencies));
        }
        if (!opened.await(120, TimeUnit.SECONDS)) {
            System.out.printf("only %d of %d streams opened%n", open.get(), shoppers);
        }
        Thread.sleep(1000);
        latencies.clear();

        AtomicInteger placed = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        long total = Math.round(rate * seconds);
        long intervalNanos = (long) (1_000_000_000L / rate);
        long start = System.nanoTime();
        try (var orders = Executors.newVirtualThreadPerTaskExecutor()) {
            for (long n = 0; n < total; n++) {
                long due = start + n * intervalNanos;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                String token = tokens.get((int) (n % shoppers));
                String key = run + "-order-" + n;
                orders.submit(() -> {
                    HttpRequest request = HttpRequest.newBuilder(URI.create(gateway + "/api/orders"))
                            .timeout(Duration.ofSeconds(30))
                            .header("Authorization", "Bearer " + token)
                            .header("Content-Type", "application/json")
                            .header("Idempotency-Key", key)
                            .POST(HttpRequest.BodyPublishers.ofString(body))
                            .build();
                    try {
                        HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
                        (answer.statusCode() == 201 ? placed : refused).incrementAndGet();
                        if (answer.statusCode() != 201) {
                            refusals.merge(answer.statusCode() + " " + answer.body().replaceAll(".*\"title\":\"([^\"]*)\".*", "$1"), 1, Integer::sum);
                        }
                    }
                    catch (Exception failure) {
                        refused.incrementAndGet();
                        refusals.merge(failure.getClass().getSimpleName(), 1, Integer::sum);
                    }
                });
            }
        }
        double placingSeconds = (System.nanoTime() - start) / 1e9;
        // the last orders' payment, allocation, shipping and delivery (dev delays 2/4/6 s)
        Thread.sleep(Long.parseLong(System.getenv().getOrDefault("DRAIN_MS", "16000")));
        streams.shutdownNow();

        List<Long> sorted;
        synchronized (latencies) {
            sorted = new ArrayList<>(latencies);
        }
        Collections.sort(sorted);
        System.out.printf(
                "RESULT streams=%d stream_failures=%d orders=%d refused=%d placing_rate=%.1f/s status_events=%d p50_ms=%d p90_ms=%d p99_ms=%d max_ms=%d%n",
                open.get(), streamFailures.get(), placed.get(), refused.get(), placed.get() / placingSeconds, sorted.size(),
                percentile(sorted, 50), percentile(sorted, 90), percentile(sorted, 99),
                sorted.isEmpty() ? -1 : sorted.getLast());
        refusals.forEach((why, count) -> System.out.printf("refused %d: %s%n", count, why));
        System.exit(0);
    }

    private static void follow(HttpClient http, String gateway, String token, CountDownLatch opened, AtomicInteger open,
            AtomicInteger failures, Map<String, String> lastStatus, List<Long> latencies) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(gateway + "/api/orders/events"))
                .header("Authorization", "Bearer " + token)
                .header("Accept", "text/event-stream")
                .GET()
                .build();
        try {
            HttpResponse<java.io.InputStream> response;
            // the gateway lets 512 stream openings be in flight at once (notify-streams bulkhead); a
            // thousand browsers do not all connect in the same millisecond either
            OPENING.acquire();
            try {
                response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            }
            finally {
                OPENING.release();
            }
            if (response.statusCode() != 200) {
                failures.incrementAndGet();
                refusals.merge("stream " + response.statusCode(), 1, Integer::sum);
                opened.countDown();
                return;
            }
            open.incrementAndGet();
            opened.countDown();
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                String event = null;
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    if (line.startsWith("event:")) {
                        event = line.substring(6).trim();
                    }
                    else if (line.startsWith("data:") && "order".equals(event)) {
                        long received = System.currentTimeMillis();
                        Matcher status = STATUS.matcher(line);
                        Matcher changedAt = CHANGED_AT.matcher(line);
                        if (status.find() && changedAt.find()) {
                            String previous = lastStatus.put(status.group(1), status.group(2));
                            if (!status.group(2).equals(previous)) {
                                latencies.add(received - Instant.parse(changedAt.group(1)).toEpochMilli());
                            }
                        }
                    }
                    else if (line.isEmpty()) {
                        event = null;
                    }
                }
            }
        }
        catch (Exception ended) {
            // shut down at the end of the run, or the stream broke (counted when it never opened)
        }
    }

    private static String token(HttpClient http, String issuer, String user) {
        String form = "grant_type=password&client_id=surge-cli&client_secret=dev&password=dev&scope=openid&username="
                + URLEncoder.encode(user, StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(URI.create(issuer + "/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build();
        try {
            String answer = http.send(request, HttpResponse.BodyHandlers.ofString()).body();
            Matcher token = TOKEN.matcher(answer);
            if (!token.find()) {
                throw new IllegalStateException("no token for " + user + ": " + answer);
            }
            return token.group(1);
        }
        catch (Exception failure) {
            throw new IllegalStateException("token request for " + user + " failed", failure);
        }
    }

    private static long percentile(List<Long> sorted, int p) {
        if (sorted.isEmpty()) {
            return -1;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }
}
