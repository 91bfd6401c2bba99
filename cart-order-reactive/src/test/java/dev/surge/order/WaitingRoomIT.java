package dev.surge.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;

import dev.surge.order.flashsale.FlashSaleProperties;
import dev.surge.testsupport.IntegrationTest;
import dev.surge.testsupport.TcpProxy;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The flash sale's waiting room over real PostgreSQL and Redis (through a proxy the test cuts): the
 * first shoppers are let in at once, the rest wait in arrival order at the sale's pace, never more
 * admitted than units; an admission token is what "buy now" needs and only its shopper can use it;
 * an unused admission lapses and lets the next shopper in; the stream tells the position, the
 * admission and "sold out" as they happen; with Redis away admitted buyers still buy.
 */
@IntegrationTest(redisThroughProxy = true)
@TestPropertySource(properties = {"surge.flash-sales.waiting-room.admission-lifetime=6s",
        "surge.flash-sales.waiting-room.max-streams=2", "surge.flash-sales.waiting-room.heartbeat=1s"})
class WaitingRoomIT extends ShopFixtures {

    private static final String PROBLEMS = "https://surge.dev/problems/";
    private static final ParameterizedTypeReference<ServerSentEvent<String>> EVENT = new ParameterizedTypeReference<>() {
    };
    private static final JsonMapper JSON = new JsonMapper();

    @LocalServerPort
    int port;

    @Autowired
    TcpProxy redisProxy;

    @Autowired
    ReactiveStringRedisTemplate redis;

    @Autowired
    FlashSaleProperties gateSettings;

    @Test
    void theFirstShopperGetsInAtOnceAndTheRestWaitTheirTurnInArrivalOrderAtTheSalesPace() {
        product("WR-PACE", 1_000, 20);
        startedSale("WR-PACE", 20, 1);

        // a full second's worth of admissions is ready for whoever comes first: one a second here
        assertThat(join("wr-pace-a").get("status").asString()).isEqualTo("ADMITTED");
        List<Long> positions = new ArrayList<>();
        for (String shopper : List.of("wr-pace-b", "wr-pace-c", "wr-pace-d", "wr-pace-e")) {
            JsonNode standing = join(shopper);
            assertThat(standing.get("status").asString()).as(shopper).isEqualTo("WAITING");
            assertThat(standing.get("stream").asString()).isEqualTo("/api/flash-sales/WR-PACE/queue");
            positions.add(standing.get("position").asLong());
        }
        // in arrival order; the clock may have let one in meanwhile, which moves everyone up alike
        assertThat(positions.get(1) - positions.get(0)).isEqualTo(1);
        assertThat(positions.get(3) - positions.get(0)).isEqualTo(3);
        // taking a place again (a reload) keeps it
        assertThat(join("wr-pace-e").get("position").asLong()).isBetween(1L, positions.get(3));
        admin("WR-PACE").jsonPath("$.waiting").isNumber().jsonPath("$.admissionsPerSecond").isEqualTo(1);

        // b is let in before e, and at about one a second: e three turns later, not at once
        await().atMost(Duration.ofSeconds(10)).until(() -> join("wr-pace-b").get("status").asString().equals("ADMITTED"));
        Instant bIn = Instant.now();
        assertThat(join("wr-pace-e").get("status").asString()).isEqualTo("WAITING");
        await().atMost(Duration.ofSeconds(15)).until(() -> join("wr-pace-e").get("status").asString().equals("ADMITTED"));
        assertThat(Duration.between(bIn, Instant.now())).isGreaterThan(Duration.ofMillis(1_500));
        admin("WR-PACE").jsonPath("$.waiting").isEqualTo(0);
    }

    @Test
    void anAdaptivePaceStartsAtAQuarterOfItsCeilingAndClimbsWhileShoppersWaitAndCheckoutKeepsUp() {
        product("WR-ADAPT", 1_000, 1_000);
        this.sku = "WR-ADAPT";
        http.put().uri("/api/admin/flash-sales/{sku}", sku)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + identity.opsToken("olga"))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"startsAt\": \"" + Instant.now().minusSeconds(1) + "\", \"units\": 1000, "
                        + "\"admissionsPerSecond\": 40, \"admission\": \"adaptive\"}")
                .exchange()
                .expectStatus().isCreated();
        admin(sku).jsonPath("$.admission").isEqualTo("adaptive").jsonPath("$.pace").isEqualTo(10);

        for (int i = 0; i < 150; i++) {
            join("wr-adapt-" + i);
        }
        // nobody's buy-now is slow or piling up here: each second it goes up by a tenth of the ceiling
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(pace()).isGreaterThan(10));
        assertThat(pace()).isLessThanOrEqualTo(40);

        // Redis loses the gate, and with it what the pace had learnt: rebuilt from PostgreSQL, it starts over at a quarter
        String gateKey = gateSettings.keyPrefix() + "flash-sale:WR-ADAPT";
        assertThat(redis.delete(gateKey).block(Duration.ofSeconds(5))).isEqualTo(1L);
        // the clock's next tick rebuilds it; read at once (a tick a second could only climb it by a tenth since)
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> redis.opsForHash().get(gateKey, "ceiling").block(Duration.ofSeconds(5)) != null);
        assertThat(Integer.parseInt(String.valueOf(redis.opsForHash().get(gateKey, "rate").block(Duration.ofSeconds(5)))))
                .isBetween(10, 14);
        assertThat(redis.opsForHash().get(gateKey, "ceiling").block(Duration.ofSeconds(5))).isEqualTo("40");
    }

    private int pace() {
        return JSON.readTree(http.get().uri("/api/admin/flash-sales/{sku}", sku)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + identity.opsToken("olga"))
                .exchange()
                .expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody()).get("pace").asInt();
    }

    @Test
    void neverMoreShoppersAreAdmittedThanThereAreUnitsAndAnAdmissionLetsOnlyItsShopperBuy() throws SQLException {
        product("WR-ONLY", 1_000, 2);
        startedSale("WR-ONLY", 2, 50);
        String ada = join("wr-ada").get("admission").asString();
        String bob = join("wr-bob").get("admission").asString();
        // two units, two admissions: the third shopper waits however fast the pace
        assertThat(join("wr-cy").get("status").asString()).isEqualTo("WAITING");

        buy("wr-cy", "wr-cy-1", null).expectStatus().isForbidden()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.type").isEqualTo(PROBLEMS + "flash-sale-admission-required")
                .jsonPath("$.waitingRoom").isEqualTo("/api/flash-sales/WR-ONLY/queue");
        // another shopper's admission, or a forged one, is no admission
        buy("wr-cy", "wr-cy-2", ada).expectStatus().isForbidden();
        buy("wr-cy", "wr-cy-3", ada.substring(0, ada.indexOf('.') + 1) + bob.substring(bob.indexOf('.') + 1))
                .expectStatus().isForbidden();
        assertThat(count("SELECT count(*) FROM orders WHERE user_id = 'wr-cy'")).isZero();
        // a refused buy-now (a total to confirm again) leaves bob's admission his: cy still waits behind it
        post("/api/orders", identity.shopperToken("wr-bob")).header("Idempotency-Key", "wr-bob-1")
                .header("Flash-Sale-Admission", bob)
                .bodyValue(buyNow(sku, 1, 1_000)).exchange()
                .expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.type").isEqualTo(PROBLEMS + "price-changed");
        admin(sku).jsonPath("$.admitted").isEqualTo(2).jsonPath("$.gateLeft").isEqualTo(2);
        await().pollDelay(Duration.ofMillis(400)).atMost(Duration.ofSeconds(5))
                .until(() -> join("wr-cy").get("status").asString().equals("WAITING"));

        String placed = buy("wr-ada", "wr-ada-1", ada).expectStatus().isCreated()
                .expectBody(String.class).returnResult().getResponseBody();
        // a double click is the same order, not a second one
        buy("wr-ada", "wr-ada-1", ada).expectStatus().isCreated()
                .expectHeader().valueEquals("Idempotent-Replayed", "true")
                .expectBody().json(placed);
        assertThat(count("SELECT count(*) FROM orders WHERE user_id = 'wr-ada'")).isEqualTo(1);
        // the used admission's unit is sold; the other one is still bob's, so cy still waits
        assertThat(join("wr-cy").get("status").asString()).isEqualTo("WAITING");
    }

    @Test
    void anAdmissionNotUsedInItsLifetimeLapsesAndTheNextShopperIsLetIn() {
        product("WR-LAPSE", 1_000, 1);
        startedSale("WR-LAPSE", 1, 50);
        String dan = join("wr-dan").get("admission").asString();
        assertThat(join("wr-eve").get("status").asString()).isEqualTo("WAITING");

        await().atMost(Duration.ofSeconds(15)).until(() -> join("wr-eve").get("status").asString().equals("ADMITTED"));
        // dan's turn passed: his token no longer buys, and taking a place again puts him at the end
        buy("wr-dan", "wr-dan-1", dan).expectStatus().isForbidden();
        assertThat(join("wr-dan").get("status").asString()).isEqualTo("WAITING");
        buy("wr-eve", "wr-eve-1", join("wr-eve").get("admission").asString()).expectStatus().isCreated();
    }

    @Test
    void theStreamTellsThePositionThenTheAdmissionAndEveryoneStillWaitingHearsSoldOutAtOnce() {
        product("WR-LIVE", 1_000, 2);
        startedSale("WR-LIVE", 2, 1, 1);
        String fay = join("wr-fay").get("admission").asString();
        assertThat(join("wr-gus").get("position").asLong()).isEqualTo(1);
        assertThat(join("wr-hal").get("position").asLong()).isEqualTo(2);

        // gus is told his place, then let in at the pace of one a second, with a token that buys
        List<ServerSentEvent<String>> gus = watch("wr-gus").collectList().block(Duration.ofSeconds(20));
        assertThat(gus).extracting(ServerSentEvent::event).startsWith("waiting").endsWith("admitted");
        assertThat(JSON.readTree(gus.getFirst().data()).get("position").asLong()).isEqualTo(1);
        String gusAdmission = JSON.readTree(gus.getLast().data()).get("admission").asString();

        // hal waits: both units are promised; once both are sold he hears "sold out" and the stream ends
        Flux<ServerSentEvent<String>> hal = watch("wr-hal").cache();
        hal.subscribe();
        buy("wr-fay", "wr-fay-1", fay).expectStatus().isCreated();
        buy("wr-gus", "wr-gus-1", gusAdmission).expectStatus().isCreated();
        List<ServerSentEvent<String>> halEvents = hal.collectList().block(Duration.ofSeconds(20));
        assertThat(halEvents).extracting(ServerSentEvent::event).startsWith("waiting").endsWith("sold-out")
                .doesNotContain("admitted");
        post("/api/flash-sales/WR-LIVE/queue", identity.shopperToken("wr-ivy")).exchange()
                .expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.type").isEqualTo(PROBLEMS + "sold-out");
    }

    @Test
    void aStreamWithoutAPlaceAndARoomWithoutASaleAreProblemsBeforeAnyStreamOpens() {
        product("WR-NONE", 1_000, 5);
        startedSale("WR-NONE", 1, 1);
        http.get().uri("/api/flash-sales/WR-NONE/queue")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + identity.shopperToken("wr-jon"))
                .accept(MediaType.TEXT_EVENT_STREAM)
                .exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        post("/api/flash-sales/NO-SALE-HERE/queue", identity.shopperToken("wr-jon")).exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        post("/api/flash-sales/bad sku/queue", identity.shopperToken("wr-jon")).exchange()
                .expectStatus().isBadRequest();
        http.post().uri("/api/flash-sales/WR-NONE/queue").exchange().expectStatus().isUnauthorized();
        // what anybody may know of a sale, without signing in
        http.get().uri("/api/flash-sales/WR-NONE").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.status").isEqualTo("RUNNING")
                .jsonPath("$.perShopperLimit").isEqualTo(1)
                .jsonPath("$.waitingRoom").isEqualTo(true)
                .jsonPath("$.queue").isEqualTo("/api/flash-sales/WR-NONE/queue")
                .jsonPath("$.units").doesNotExist();
        http.get().uri("/api/flash-sales/NO-SALE-HERE").exchange().expectStatus().isNotFound();
    }

    @Test
    void anInstanceFollowsAtMostItsCapOfStreamsAndTheNextOneIsA503UntilOneEnds() throws InterruptedException {
        product("WR-FULL", 1_000, 1);
        startedSale("WR-FULL", 1, 1);
        join("wr-full-a");
        List<Disposable> held = new ArrayList<>();
        List<ServerSentEvent<String>> seen = new CopyOnWriteArrayList<>();
        try {
            List<String> ended = new CopyOnWriteArrayList<>();
            for (String shopper : List.of("wr-full-b", "wr-full-c")) {
                join(shopper);
                held.add(watch(shopper).doOnNext(seen::add)
                        .subscribe(event -> { }, failure -> ended.add(shopper + ": " + failure), () -> ended.add(shopper)));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() >= 2);
            // waiting streams outlive several heartbeats (one a second here)
            Thread.sleep(3_500);
            assertThat(ended).isEmpty();
            join("wr-full-d");
            http.get().uri("/api/flash-sales/WR-FULL/queue")
                    .header(HttpHeaders.AUTHORIZATION, "Bearer " + identity.shopperToken("wr-full-d"))
                    .accept(MediaType.TEXT_EVENT_STREAM)
                    .exchange()
                    .expectStatus().isEqualTo(503)
                    .expectHeader().exists(HttpHeaders.RETRY_AFTER)
                    .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody().jsonPath("$.type").isEqualTo(PROBLEMS + "waiting-room-full");
            held.removeFirst().dispose();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(watch("wr-full-d").next()
                    .block(Duration.ofSeconds(5)).event()).isEqualTo("waiting"));
        }
        finally {
            held.forEach(Disposable::dispose);
        }
    }

    @Test
    void streamsAskedForAllAtOnceStillStopAtTheCap() {
        product("WR-RUSH", 1_000, 1);
        startedSale("WR-RUSH", 1, 1);
        join("wr-rush-a");
        List<String> shoppers = List.of("wr-rush-b", "wr-rush-c", "wr-rush-d", "wr-rush-e", "wr-rush-f", "wr-rush-g");
        shoppers.forEach(this::join);
        List<Disposable> held = new CopyOnWriteArrayList<>();
        try {
            // six at the same moment, each past the cheap check before any has opened: the cap (2) holds all the same
            List<Integer> statuses = Flux.fromIterable(shoppers)
                    .flatMap(shopper -> WebClient.create("http://127.0.0.1:" + port).get()
                            .uri("/api/flash-sales/{sku}/queue", sku)
                            .header(HttpHeaders.AUTHORIZATION, "Bearer " + identity.shopperToken(shopper))
                            .accept(MediaType.TEXT_EVENT_STREAM)
                            .retrieve()
                            .toEntityFlux(EVENT)
                            .map(stream -> {
                                held.add(stream.getBody().subscribe());
                                return stream.getStatusCode().value();
                            })
                            .onErrorResume(WebClientResponseException.class,
                                    refused -> Mono.just(refused.getStatusCode().value())), shoppers.size())
                    .collectList()
                    .block(Duration.ofSeconds(20));
            // a stream of another test not yet given back can only leave fewer open
            assertThat(statuses.stream().filter(status -> status == 200)).hasSizeLessThanOrEqualTo(2);
            assertThat(statuses.stream().filter(status -> status == 503)).hasSizeGreaterThanOrEqualTo(4);
            assertThat(statuses).containsOnly(200, 503);
        }
        finally {
            held.forEach(Disposable::dispose);
        }
        // every room given back: streams open again
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(watch("wr-rush-b").next()
                .block(Duration.ofSeconds(5)).event()).isEqualTo("waiting"));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(watch("wr-rush-c").next()
                .block(Duration.ofSeconds(5)).event()).isEqualTo("waiting"));
    }

    @Test
    void whileRedisIsAwayTheWaitingAreToldAdmissionsPauseAndAnAdmittedShopperStillBuys() throws SQLException {
        product("WR-AWAY", 1_000, 5);
        startedSale("WR-AWAY", 5, 1, 1);
        String kim = join("wr-kim").get("admission").asString();
        join("wr-lea");
        join("wr-max");
        List<ServerSentEvent<String>> max = new CopyOnWriteArrayList<>();
        Disposable watching = watch("wr-max").doOnNext(max::add).subscribe();
        await().atMost(Duration.ofSeconds(10)).until(() -> !max.isEmpty());
        redisProxy.cut();
        try {
            post("/api/flash-sales/WR-AWAY/queue", identity.shopperToken("wr-ned")).exchange()
                    .expectStatus().isEqualTo(503)
                    .expectHeader().exists(HttpHeaders.RETRY_AFTER)
                    .expectBody().jsonPath("$.type").isEqualTo(PROBLEMS + "flash-sale-paused");
            // PostgreSQL alone holds the sale's units and kim's limit
            buy("wr-kim", "wr-kim-1", kim).expectStatus().isCreated();
            buy("wr-lea", "wr-lea-1", null).expectStatus().isEqualTo(503);
            await().atMost(Duration.ofSeconds(15)).until(() -> max.stream().anyMatch(event -> "paused".equals(event.event())));
        }
        finally {
            redisProxy.restore();
            watching.dispose();
        }
        assertThat(scalar("SELECT sold FROM flash_sale WHERE sku = 'WR-AWAY'")).isEqualTo("1");
        // back (503 until the connection to Redis is up again): the queue moves on where it stood
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> join("wr-max").get("status").asString().equals("ADMITTED"));
    }

    private JsonNode join(String shopper) {
        return JSON.readTree(post("/api/flash-sales/" + sku + "/queue", identity.shopperToken(shopper)).exchange()
                .expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody());
    }

    /** The sku of the test's sale: each test sets up its own. */
    private String sku;

    private WebTestClient.ResponseSpec buy(String shopper, String key, String admission) {
        WebTestClient.RequestBodySpec request = post("/api/orders", identity.shopperToken(shopper)).header("Idempotency-Key", key);
        if (admission != null) {
            request = request.header("Flash-Sale-Admission", admission);
        }
        return request.bodyValue(buyNow(sku, 1, 1_495)).exchange();
    }

    private Flux<ServerSentEvent<String>> watch(String shopper) {
        return WebClient.create("http://127.0.0.1:" + port).get().uri("/api/flash-sales/{sku}/queue", sku)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + identity.shopperToken(shopper))
                .accept(MediaType.TEXT_EVENT_STREAM)
                .retrieve()
                .bodyToFlux(EVENT)
                .filter(event -> event.event() != null);
    }

    private void startedSale(String sku, int units, int rate) {
        startedSale(sku, units, 1, rate);
    }

    private void startedSale(String sku, int units, int limit, int rate) {
        this.sku = sku;
        http.put().uri("/api/admin/flash-sales/{sku}", sku)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + identity.opsToken("olga"))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"startsAt\": \"" + Instant.now().minusSeconds(1) + "\", \"units\": " + units
                        + ", \"perShopperLimit\": " + limit + ", \"admissionsPerSecond\": " + rate + "}")
                .exchange()
                .expectStatus().isCreated();
    }

    private WebTestClient.BodyContentSpec admin(String sku) {
        return http.get().uri("/api/admin/flash-sales/{sku}", sku)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + identity.opsToken("olga"))
                .exchange()
                .expectStatus().isOk()
                .expectBody();
    }
}
