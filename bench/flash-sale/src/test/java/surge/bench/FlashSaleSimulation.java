package surge.bench;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.asLongAs;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.listFeeder;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.sse;
import static io.gatling.javaapi.http.HttpDsl.status;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;

/**
 * A flash sale through the gateways: SHOPPERS distinct shoppers (tokens from the dev identity
 * provider, fetched before the run) arrive within ARRIVAL_SECONDS for one sku with UNITS units. Each
 * takes a place in the waiting room, follows its stream until it is admitted (or told sold out), and
 * buys when admitted. Half the shoppers come through each base URL (two gateways: one process holds
 * fewer than 10,000 streams under the 20,000-descriptor limit).
 *
 * <p>Set by {@code bench/flash-sale/run} through the environment: SKU, UNITS, SHOPPERS,
 * ARRIVAL_SECONDS, GATEWAYS (comma-separated base URLs), ISSUER (the token endpoint's issuer),
 * BODY (the buy-now body without the admission), ADMISSIONS_PER_SECOND, ADMISSION (fixed|adaptive),
 * OUTCOMES (a file the per-shopper outcomes are written to, for the run script's checks).
 */
public class FlashSaleSimulation extends Simulation {

    private static final String SKU = env("SKU", null);
    private static final int UNITS = Integer.parseInt(env("UNITS", "1000"));
    private static final int SHOPPERS = Integer.parseInt(env("SHOPPERS", "10000"));
    private static final int ARRIVAL_SECONDS = Integer.parseInt(env("ARRIVAL_SECONDS", "10"));
    private static final List<String> GATEWAYS = List.of(env("GATEWAYS", "http://127.0.0.1:8080,http://127.0.0.1:8090").split(","));
    private static final String ISSUER = env("ISSUER", "http://127.0.0.1:9000/surge");
    private static final String BODY = env("BODY", null);
    private static final int ADMISSIONS_PER_SECOND = Integer.parseInt(env("ADMISSIONS_PER_SECOND", "200"));
    private static final String ADMISSION = env("ADMISSION", "adaptive");
    private static final Path OUTCOMES = Path.of(env("OUTCOMES", "target/outcomes.csv"));
    /** The longest a shopper follows the waiting room's stream before counting as timed out. */
    private static final Duration LONGEST_WAIT = Duration.ofMinutes(5);

    private static final Pattern ADMISSION_TOKEN = Pattern.compile("\"admission\"\\s*:\\s*\"([^\"]+)\"");

    /** Per shopper: how it ended (ordered, sold-out, or what went wrong). */
    private final Map<String, String> outcomes = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> statuses = new ConcurrentHashMap<>();

    {
        List<Map<String, Object>> shoppers = tokens(SHOPPERS);
        HttpProtocolBuilder protocol = http.baseUrls(GATEWAYS)
                // one pool for all: each shopper's stream holds a connection, its POSTs share the rest
                .shareConnections()
                .disableWarmUp()
                .disableCaching()
                .acceptHeader("application/json");

        ChainBuilder join = exec(http("join").post("/api/flash-sales/" + SKU + "/queue")
                .header("Authorization", "Bearer #{token}")
                .check(status().saveAs("joinStatus"),
                        status().in(200, 409),
                        jsonPath("$.status").optional().saveAs("joinState"),
                        jsonPath("$.admission").optional().saveAs("admission"),
                        jsonPath("$.type").optional().saveAs("problem")))
                .exec(session -> count(session, "join", "joinStatus"));

        ChainBuilder watch = exec(sse("watch").get("/api/flash-sales/" + SKU + "/queue")
                .header("Authorization", "Bearer #{token}")
                .await(LONGEST_WAIT).on(sse.checkMessage("final event")
                        .matching(jsonPath("$.event").in("admitted", "sold-out", "turn-passed"))
                        .check(jsonPath("$.event").saveAs("finalEvent"), jsonPath("$.data").saveAs("finalData"))))
                .exec(sse("close").close())
                .exec(session -> {
                    String event = session.getString("finalEvent");
                    if (event == null) {
                        return session.set("outcome", "stream-ended-without-final-event");
                    }
                    if (event.equals("admitted")) {
                        Matcher token = ADMISSION_TOKEN.matcher(session.getString("finalData"));
                        return token.find() ? session.set("admission", token.group(1)).set("outcome", "admitted")
                                : session.set("outcome", "admitted-without-token");
                    }
                    return session.set("outcome", event);
                });

        ChainBuilder placeInLine = exec(session -> session.remove("finalEvent").remove("admission").remove("joinState")
                .remove("problem").set("outcome", "none"))
                .exec(join)
                .doIfOrElse(session -> "WAITING".equals(session.getString("joinState"))).then(watch)
                .orElse(exec(session -> session.set("outcome", joinOutcome(session))));

        ChainBuilder buy = exec(http("buy now").post("/api/orders")
                .header("Authorization", "Bearer #{token}")
                .header("Flash-Sale-Admission", "#{admission}")
                .header("Idempotency-Key", session -> UUID.randomUUID().toString())
                .header("Content-Type", "application/json")
                .body(StringBody(BODY))
                .check(status().saveAs("buyStatus"),
                        status().in(201, 409),
                        jsonPath("$.id").optional().saveAs("orderId"),
                        jsonPath("$.type").optional().saveAs("problem")))
                .exec(session -> count(session, "buy", "buyStatus"))
                .exec(session -> session.set("outcome", session.contains("orderId") ? "ordered"
                        : "buy-refused:" + problem(session)));

        ScenarioBuilder buyers = scenario("flash sale")
                .feed(listFeeder(shoppers))
                .exec(session -> session.set("tries", 0).set("outcome", "none"))
                // a lapsed turn (or a queue Redis lost) means taking a new place, and a stream that ended
                // without its final event (its instance went away) is opened again, as EventSource does; the
                // place is kept, so the join answers the one the shopper holds: at most three times in all
                .asLongAs(session -> session.getInt("tries") < 3
                        && List.of("none", "turn-passed", "stream-ended-without-final-event").contains(session.getString("outcome")))
                .on(exec(session -> session.set("tries", session.getInt("tries") + 1)).exec(placeInLine))
                .doIf(session -> "admitted".equals(session.getString("outcome"))).then(buy)
                .exec(session -> {
                    outcomes.put(session.getString("shopper"), session.getString("outcome")
                            + (session.contains("orderId") ? "," + session.getString("orderId") : ","));
                    return session;
                });

        setUp(buyers.injectOpen(rampUsers(SHOPPERS).during(Duration.ofSeconds(ARRIVAL_SECONDS))))
                .protocols(protocol)
                // any request answered outside its checks (a 5xx, an unexpected status) or timed out fails the run
                .assertions(global().failedRequests().count().is(0L));
    }

    @Override
    public void before() {
        if (SKU == null || BODY == null) {
            throw new IllegalStateException("SKU and BODY must be set: run bench/flash-sale/run");
        }
        String ops = token("olga");
        // the sale opens 3 s after the first shoppers arrive, so the first of them wait in the room
        Instant startsAt = Instant.now().plusSeconds(3);
        String sale = "{\"startsAt\":\"" + startsAt + "\",\"units\":" + UNITS + ",\"perShopperLimit\":1,"
                + "\"admissionsPerSecond\":" + ADMISSIONS_PER_SECOND + ",\"admission\":\"" + ADMISSION + "\"}";
        HttpResponse<String> answer = send(HttpRequest.newBuilder(URI.create(GATEWAYS.getFirst() + "/api/admin/flash-sales/" + SKU))
                .header("Authorization", "Bearer " + ops)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(sale))
                .build());
        if (answer.statusCode() / 100 != 2) {
            throw new IllegalStateException("setting up the sale failed: " + answer.statusCode() + " " + answer.body());
        }
        System.out.println("flash sale: " + SKU + ", " + UNITS + " units from " + startsAt + ", " + SHOPPERS
                + " shoppers within " + ARRIVAL_SECONDS + " s, admission " + ADMISSION + " up to "
                + ADMISSIONS_PER_SECOND + "/s, through " + GATEWAYS);
    }

    @Override
    public void after() {
        try {
            List<String> lines = new ArrayList<>(outcomes.size());
            outcomes.forEach((shopper, outcome) -> lines.add(shopper + "," + outcome));
            Files.createDirectories(OUTCOMES.toAbsolutePath().getParent());
            Files.write(OUTCOMES, lines);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        System.out.println("answers by request and status: " + new java.util.TreeMap<>(statuses));
    }

    private Session count(Session session, String request, String statusKey) {
        String status = session.contains(statusKey) ? String.valueOf(session.getInt(statusKey)) : "none";
        statuses.computeIfAbsent(request + " " + status, key -> new LongAdder()).increment();
        return session;
    }

    private static String joinOutcome(Session session) {
        if ("ADMITTED".equals(session.getString("joinState")) && session.contains("admission")) {
            return "admitted";
        }
        String problem = problem(session);
        if (problem.endsWith("/sold-out")) {
            return "sold-out";
        }
        return "join-refused:" + problem;
    }

    private static String problem(Session session) {
        return session.contains("problem") ? session.getString("problem")
                : "status-" + (session.contains("joinStatus") ? session.getInt("joinStatus") : "none");
    }

    /** One token per shopper, fetched from the dev provider before the run (a few hundred at once). */
    private static List<Map<String, Object>> tokens(int shoppers) {
        long started = System.nanoTime();
        Semaphore inFlight = new Semaphore(64);
        List<CompletableFuture<Map<String, Object>>> pending = new ArrayList<>(shoppers);
        String run = Long.toString(System.currentTimeMillis(), 36);
        for (int i = 0; i < shoppers; i++) {
            String shopper = "sale-" + run + "-" + i;
            inFlight.acquireUninterruptibly();
            pending.add(CLIENT.sendAsync(tokenRequest(shopper), HttpResponse.BodyHandlers.ofString())
                    .whenComplete((answer, failure) -> inFlight.release())
                    .thenApply(answer -> Map.of("shopper", shopper, "token", accessToken(answer))));
        }
        List<Map<String, Object>> tokens = pending.stream().map(CompletableFuture::join).toList();
        System.out.printf("%d shopper tokens in %.1f s%n", shoppers, (System.nanoTime() - started) / 1e9);
        return tokens;
    }

    private static String token(String user) {
        return accessToken(send(tokenRequest(user)));
    }

    private static HttpRequest tokenRequest(String user) {
        String form = "grant_type=password&client_id=surge-cli&client_secret=dev&password=dev&scope=openid&username="
                + URLEncoder.encode(user, StandardCharsets.UTF_8);
        return HttpRequest.newBuilder(URI.create(ISSUER + "/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build();
    }

    private static final Pattern ACCESS_TOKEN = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"");

    private static String accessToken(HttpResponse<String> answer) {
        Matcher token = ACCESS_TOKEN.matcher(answer.body());
        if (answer.statusCode() != 200 || !token.find()) {
            throw new IllegalStateException("no token from the identity provider: " + answer.statusCode() + " " + answer.body());
        }
        return token.group(1);
    }

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(request.uri() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
