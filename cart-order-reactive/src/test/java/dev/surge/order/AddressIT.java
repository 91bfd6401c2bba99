package dev.surge.order;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.surge.testsupport.IdentityProvider;
import dev.surge.testsupport.Infrastructure;
import dev.surge.testsupport.IntegrationTest;
import dev.surge.testsupport.TestIsolation;

@IntegrationTest
class AddressIT {

    private static final String ADDRESSES = "/api/users/me/addresses";
    private static final ParameterizedTypeReference<Map<String, Object>> JSON_OBJECT =
            new ParameterizedTypeReference<>() {
            };

    @Autowired
    WebTestClient http;

    @Autowired
    TestIsolation isolation;

    private final IdentityProvider identity = Infrastructure.identityProvider();

    @Test
    void savesListsReadsReplacesAndDeletesAnAddress() {
        String token = identity.shopperToken("anna");
        Map<String, Object> home = address("Home");
        home.put("line2", "Hinterhaus, 3. OG");
        home.put("region", "Berlin");
        home.put("phone", "+49 30 1234567");
        EntityExchangeResult<Map<String, Object>> created = post(token, home)
                .expectStatus().isCreated()
                .expectBody(JSON_OBJECT)
                .returnResult();
        Map<String, Object> saved = created.getResponseBody();
        String id = (String) saved.get("id");
        assertThat(created.getResponseHeaders().getLocation()).hasToString(ADDRESSES + "/" + id);
        assertThat(saved).containsEntry("label", "Home")
                .containsEntry("recipientName", "Anna Schmidt")
                .containsEntry("line1", "Invalidenstraße 117")
                .containsEntry("line2", "Hinterhaus, 3. OG")
                .containsEntry("city", "Berlin")
                .containsEntry("region", "Berlin")
                .containsEntry("postalCode", "10115")
                .containsEntry("countryCode", "DE")
                .containsEntry("phone", "+49 30 1234567")
                .containsEntry("default", true)
                .containsKeys("createdAt", "updatedAt")
                .doesNotContainKeys("userId", "isDefault", "makeDefault");

        list(token).expectStatus().isOk()
                .expectBody()
                .jsonPath("$.total").isEqualTo(1)
                .jsonPath("$.items[0].id").isEqualTo(id)
                .jsonPath("$.items[0].line1").isEqualTo("Invalidenstraße 117");
        get(token, id).expectStatus().isOk().expectBody(JSON_OBJECT).isEqualTo(saved);

        Map<String, Object> moved = address("Home");
        moved.put("line1", "  Torstraße 1 ");
        moved.put("postalCode", "10119");
        put(token, id, moved).expectStatus().isOk()
                .expectBody()
                .jsonPath("$.id").isEqualTo(id)
                .jsonPath("$.line1").isEqualTo("Torstraße 1")
                .jsonPath("$.postalCode").isEqualTo("10119")
                .jsonPath("$.line2").doesNotExist()
                .jsonPath("$.phone").doesNotExist()
                .jsonPath("$.default").isEqualTo(true)
                .jsonPath("$.createdAt").isEqualTo(saved.get("createdAt"));
        get(token, id).expectBody()
                .jsonPath("$.line1").isEqualTo("Torstraße 1")
                .jsonPath("$.region").doesNotExist();

        delete(token, id).expectStatus().isNoContent().expectBody().isEmpty();
        get(token, id).expectStatus().isNotFound()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.type").isEqualTo("https://surge.dev/problems/address-not-found");
        delete(token, id).expectStatus().isNotFound().expectBody().jsonPath("$.status").isEqualTo(404);
        list(token).expectBody().jsonPath("$.total").isEqualTo(0).jsonPath("$.items").isEmpty();
    }

    @Test
    void theFirstAddressIsTheDefaultAndMakingAnotherOneTheDefaultMovesTheFlag() {
        String token = identity.shopperToken("bruno");
        Map<String, Object> notDefault = address("First");
        notDefault.put("default", false);
        String first = idOf(post(token, notDefault).expectStatus().isCreated());
        String second = idOf(post(token, address("Second")).expectStatus().isCreated());
        assertThat(defaultOf(token)).isEqualTo(first);

        Map<String, Object> third = address("Third");
        third.put("default", true);
        String thirdId = idOf(post(token, third).expectStatus().isCreated());
        assertThat(defaultOf(token)).isEqualTo(thirdId);
        list(token).expectBody()
                .jsonPath("$.items[*].id").isEqualTo(List.of(thirdId, second, first))
                .jsonPath("$.items[*].default").isEqualTo(List.of(true, false, false));

        makeDefault(token, second).expectStatus().isOk()
                .expectBody().jsonPath("$.id").isEqualTo(second).jsonPath("$.default").isEqualTo(true);
        assertThat(defaultOf(token)).isEqualTo(second);
        makeDefault(token, second).expectStatus().isOk().expectBody().jsonPath("$.default").isEqualTo(true);
        assertThat(defaultOf(token)).isEqualTo(second);

        Map<String, Object> firstAgain = address("First");
        firstAgain.put("default", true);
        put(token, first, firstAgain).expectStatus().isOk().expectBody().jsonPath("$.default").isEqualTo(true);
        assertThat(defaultOf(token)).isEqualTo(first);

        // false never takes the flag away: there is always one default while there is any address
        firstAgain.put("default", false);
        put(token, first, firstAgain).expectStatus().isOk().expectBody().jsonPath("$.default").isEqualTo(true);
        assertThat(defaultOf(token)).isEqualTo(first);
        assertThat(defaultsInDatabase("bruno")).isEqualTo(1);
    }

    @Test
    void deletingTheDefaultPassesItToTheNewestAddressLeft() {
        String token = identity.shopperToken("clara");
        String oldest = idOf(post(token, address("Oldest")).expectStatus().isCreated());
        String middle = idOf(post(token, address("Middle")).expectStatus().isCreated());
        String newest = idOf(post(token, address("Newest")).expectStatus().isCreated());
        assertThat(defaultOf(token)).isEqualTo(oldest);

        delete(token, middle).expectStatus().isNoContent().expectBody().isEmpty();
        assertThat(defaultOf(token)).isEqualTo(oldest);

        delete(token, oldest).expectStatus().isNoContent().expectBody().isEmpty();
        assertThat(defaultOf(token)).isEqualTo(newest);

        delete(token, newest).expectStatus().isNoContent().expectBody().isEmpty();
        list(token).expectBody().jsonPath("$.total").isEqualTo(0);
        String next = idOf(post(token, address("Next")).expectStatus().isCreated());
        assertThat(defaultOf(token)).isEqualTo(next);
    }

    @Test
    void concurrentRequestsToMakeADefaultQueueAndLeaveExactlyOne() throws Exception {
        String token = identity.shopperToken("dora");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            ids.add(idOf(post(token, address("Address " + i)).expectStatus().isCreated()));
        }
        for (int round = 0; round < 3; round++) {
            List<Integer> statuses = inParallel(ids, id -> status(makeDefault(token, id)));
            assertThat(statuses).containsOnly(200);
            assertThat(ids).contains(defaultOf(token));
            assertThat(defaultsInDatabase("dora")).isEqualTo(1);
        }
    }

    @Test
    void concurrentFirstAddressesMakeOnlyOneOfThemTheDefault() throws Exception {
        for (int shopper = 0; shopper < 5; shopper++) {
            String subject = "emil-" + shopper;
            String token = identity.shopperToken(subject);
            List<Integer> statuses = inParallel(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9),
                    i -> status(post(token, address("Parallel " + i))));
            assertThat(statuses).containsOnly(201);
            list(token).expectBody().jsonPath("$.total").isEqualTo(10);
            assertThat(defaultOf(token)).isNotNull();
            assertThat(defaultsInDatabase(subject)).isEqualTo(1);
        }
    }

    @Test
    void theBookHoldsAtMostTwentyAddresses() {
        String token = identity.shopperToken("fritz");
        for (int i = 0; i < 20; i++) {
            idOf(post(token, address("Address " + i)).expectStatus().isCreated());
        }
        post(token, withDefault(address("One too many"))).expectStatus().isEqualTo(409)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type").isEqualTo("https://surge.dev/problems/address-limit-reached")
                .jsonPath("$.detail").isEqualTo("An address book holds at most 20 addresses; delete one first");
        list(token).expectBody()
                .jsonPath("$.total").isEqualTo(20)
                .jsonPath("$.items.length()").isEqualTo(20)
                .jsonPath("$.items[*].label").value(labels -> assertThat(labels)
                        .asInstanceOf(InstanceOfAssertFactories.LIST)
                        .doesNotContain("One too many"));
        String defaultBefore = defaultOf(token);

        String last = (String) ((Map<?, ?>) ((List<?>) list(token).expectBody(JSON_OBJECT).returnResult()
                .getResponseBody().get("items")).get(19)).get("id");
        delete(token, last).expectStatus().isNoContent().expectBody().isEmpty();
        idOf(post(token, address("Room again")).expectStatus().isCreated());
        assertThat(defaultOf(token)).isEqualTo(defaultBefore);
        assertThat(rowsInDatabase("fritz")).isEqualTo(20);
    }

    @Test
    void concurrentAddsNeverOverfillTheBook() throws Exception {
        for (int shopper = 0; shopper < 3; shopper++) {
            String subject = "greta-" + shopper;
            String token = identity.shopperToken(subject);
            for (int i = 0; i < 18; i++) {
                idOf(post(token, address("Address " + i)).expectStatus().isCreated());
            }
            List<Integer> statuses = inParallel(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9),
                    i -> status(post(token, address("Parallel " + i))));
            assertThat(statuses).filteredOn(status -> status == 201).hasSize(2);
            assertThat(statuses).filteredOn(status -> status == 409).hasSize(8);
            assertThat(rowsInDatabase(subject)).isEqualTo(20);
            assertThat(defaultsInDatabase(subject)).isEqualTo(1);
        }
    }

    @Test
    void badAddressesAreRefusedFieldByFieldAndNothingIsStored() {
        String token = identity.shopperToken("gina");
        Map<String, Object> bad = new LinkedHashMap<>();
        bad.put("label", "L".repeat(51));
        bad.put("recipientName", " ");
        bad.put("line2", "x".repeat(101));
        bad.put("city", "");
        bad.put("region", "r".repeat(101));
        bad.put("postalCode", "1");
        bad.put("countryCode", "UK");
        bad.put("phone", "call me");
        bad.put("line_3", "typo");
        post(token, bad).expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type").isEqualTo("https://surge.dev/problems/invalid-request")
                .jsonPath("$.errors[*].field").isEqualTo(List.of("label", "recipientName", "line1", "line2", "city",
                        "region", "postalCode", "countryCode", "phone", "line_3"))
                .jsonPath("$.errors[2].message").isEqualTo("is required")
                .jsonPath("$.errors[7].message").isEqualTo("must be an ISO 3166-1 alpha-2 country code like DE");
        post(token, Map.of()).expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[*].field").isEqualTo(List.of("recipientName", "line1", "city",
                        "postalCode", "countryCode"));
        list(token).expectBody().jsonPath("$.total").isEqualTo(0);
        assertThat(rowsInDatabase("gina")).isZero();
    }

    @Test
    void eachFieldRuleHoldsAtItsLimits() {
        String token = identity.shopperToken("hugo");
        assertRefused(token, "postalCode", "1");
        assertRefused(token, "postalCode", "12345678901");
        assertRefused(token, "postalCode", "1011@5");
        assertRefused(token, "postalCode", "--");
        assertRefused(token, "countryCode", "de");
        assertRefused(token, "countryCode", "DEU");
        assertRefused(token, "countryCode", "ZZ");
        assertRefused(token, "line1", "Invalidenstraße\n117");
        assertRefused(token, "recipientName", "n".repeat(101));
        assertRefused(token, "city", "c".repeat(101));
        assertRefused(token, "phone", "12345");
        assertRefused(token, "phone", "+49 30 1234567 ext 9");
        assertThat(rowsInDatabase("hugo")).isZero();

        Map<String, Object> atTheLimits = address("L".repeat(50));
        atTheLimits.put("recipientName", "n".repeat(100));
        atTheLimits.put("line1", "1".repeat(100));
        atTheLimits.put("line2", "2".repeat(100));
        atTheLimits.put("city", "c".repeat(100));
        atTheLimits.put("region", "r".repeat(100));
        atTheLimits.put("postalCode", "K1A-0B1 9Z");
        atTheLimits.put("countryCode", "CA");
        atTheLimits.put("phone", "(613) 555-0100");
        post(token, atTheLimits).expectStatus().isCreated()
                .expectBody().jsonPath("$.postalCode").isEqualTo("K1A-0B1 9Z");
        Map<String, Object> blanks = address("  ");
        blanks.put("line2", "");
        blanks.put("phone", "");
        blanks.put("postalCode", "SW1A 1AA");
        blanks.put("countryCode", "GB");
        post(token, blanks).expectStatus().isCreated()
                .expectBody()
                .jsonPath("$.label").doesNotExist()
                .jsonPath("$.line2").doesNotExist()
                .jsonPath("$.phone").doesNotExist();
        assertThat(rowsInDatabase("hugo")).isEqualTo(2);
    }

    @Test
    void aRefusedReplacementChangesNothing() {
        String token = identity.shopperToken("ines");
        EntityExchangeResult<Map<String, Object>> created = post(token, address("Home")).expectStatus().isCreated()
                .expectBody(JSON_OBJECT).returnResult();
        String id = (String) created.getResponseBody().get("id");
        Map<String, Object> bad = address("Home");
        bad.put("line1", "");
        bad.put("countryCode", "XX");
        put(token, id, bad).expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[*].field").isEqualTo(List.of("line1", "countryCode"));
        get(token, id).expectBody(JSON_OBJECT).isEqualTo(created.getResponseBody());
    }

    @Test
    void wrongTypesAndUnreadableBodiesAreBadRequestProblems() {
        String token = identity.shopperToken("jonas");
        String objectForALine = """
                {"recipientName": "Jonas", "line1": {"street": "Torstraße"}, "city": "Berlin", "postalCode": "10119",
                 "countryCode": "DE"}""";
        String wordForAFlag = """
                {"recipientName": "Jonas", "line1": "Torstraße 1", "city": "Berlin", "postalCode": "10119",
                 "countryCode": "DE", "default": "yes"}""";
        for (String body : List.of(objectForALine, wordForAFlag, "[]", "{\"recipientName\": ")) {
            postRaw(token, body).expectStatus().isBadRequest()
                    .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody()
                    .jsonPath("$.status").isEqualTo(400)
                    .jsonPath("$.type").value(type -> assertThat(type).isIn(
                            "https://surge.dev/problems/invalid-request", "https://surge.dev/problems/malformed-body"));
        }
        assertThat(rowsInDatabase("jonas")).isZero();
    }

    @Test
    void anIdThatIsNoUuidIsABadRequestNamingTheParameter() {
        String token = identity.shopperToken("karl");
        for (String id : List.of("not-a-uuid", "1-2-3-4-5", "42")) {
            get(token, id).expectStatus().isBadRequest()
                    .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody()
                    .jsonPath("$.type").isEqualTo("https://surge.dev/problems/invalid-request")
                    .jsonPath("$.errors[0].field").isEqualTo("id");
            put(token, id, address("Home")).expectStatus().isBadRequest()
                    .expectBody().jsonPath("$.errors[0].field").isEqualTo("id");
            delete(token, id).expectStatus().isBadRequest()
                    .expectBody().jsonPath("$.errors[0].field").isEqualTo("id");
            makeDefault(token, id).expectStatus().isBadRequest()
                    .expectBody().jsonPath("$.errors[0].field").isEqualTo("id");
        }
        assertThat(rowsInDatabase("karl")).isZero();
    }

    @Test
    void anotherShoppersAddressIsNotFoundExactlyLikeAnUnknownOneAndStaysUnchanged() {
        String alice = identity.shopperToken("alice");
        String bob = identity.shopperToken("bob");
        Map<String, Object> secret = address("Secret");
        secret.put("recipientName", "Alice Liddell");
        secret.put("line1", "7 Wonderland Lane");
        secret.put("city", "Oxford");
        secret.put("postalCode", "OX1 1DP");
        secret.put("countryCode", "GB");
        String aliceFirst = idOf(post(alice, address("Alice first")).expectStatus().isCreated());
        Map<String, Object> before = post(alice, secret).expectStatus().isCreated()
                .expectBody(JSON_OBJECT).returnResult().getResponseBody();
        String aliceId = (String) before.get("id");
        String bobsOwn = idOf(post(bob, address("Bob's")).expectStatus().isCreated());
        String unknownId = UUID.randomUUID().toString();

        Map<String, Function<String, WebTestClient.ResponseSpec>> attempts = Map.of(
                "GET", id -> get(bob, id),
                "PUT", id -> put(bob, id, withDefault(address("Taken over by Bob"))),
                "DELETE", id -> delete(bob, id),
                "POST default", id -> makeDefault(bob, id));
        attempts.forEach((attempt, request) -> {
            String foreign = notFoundBody(request.apply(aliceId));
            String unknown = notFoundBody(request.apply(unknownId));
            assertThat(foreign.replace(aliceId, "{id}")).as(attempt).isEqualTo(unknown.replace(unknownId, "{id}"));
            assertThat(foreign).as(attempt).doesNotContain("Alice", "Wonderland", "Oxford", "OX1", "alice");
        });

        get(alice, aliceId).expectStatus().isOk().expectBody(JSON_OBJECT).isEqualTo(before);
        assertThat(defaultOf(alice)).isEqualTo(aliceFirst);
        list(bob).expectBody().jsonPath("$.total").isEqualTo(1).jsonPath("$.items[0].id").isEqualTo(bobsOwn);
        assertThat(defaultOf(bob)).isEqualTo(bobsOwn);
        list(alice).expectBody().jsonPath("$.total").isEqualTo(2);
    }

    @Test
    void theOwnerComesFromTheTokenNeverFromTheRequest() {
        String lena = identity.shopperToken("lena");
        String mila = identity.shopperToken("mila");
        Map<String, Object> smuggled = address("Smuggled");
        smuggled.put("userId", "mila");
        post(lena, smuggled).expectStatus().isBadRequest()
                .expectBody()
                .jsonPath("$.errors[*].field").isEqualTo(List.of("userId"))
                .jsonPath("$.errors[0].message")
                .isEqualTo("is not accepted: an address always belongs to the signed-in shopper");
        assertThat(rowsInDatabase("lena")).isZero();
        assertThat(rowsInDatabase("mila")).isZero();

        http.post().uri(ADDRESSES + "?userId=mila")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + lena)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(address("Query"))
                .exchange()
                .expectStatus().isCreated()
                .expectBody().jsonPath("$.label").isEqualTo("Query");
        http.get().uri(ADDRESSES + "?userId=lena")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + mila)
                .exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.total").isEqualTo(0);
        assertThat(rowsInDatabase("lena")).isEqualTo(1);
        assertThat(rowsInDatabase("mila")).isZero();
    }

    @Test
    void withoutAValidTokenThereIsNoAddressBook() {
        String nora = identity.shopperToken("nora");
        String id = idOf(post(nora, address("Home")).expectStatus().isCreated());
        unauthorized(http.get().uri(ADDRESSES).exchange());
        unauthorized(http.post().uri(ADDRESSES).contentType(MediaType.APPLICATION_JSON).bodyValue(address("Anonymous"))
                .exchange());
        unauthorized(http.get().uri(ADDRESSES + "/" + id).exchange());
        unauthorized(http.put().uri(ADDRESSES + "/" + id).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(address("Anonymous")).exchange());
        unauthorized(http.delete().uri(ADDRESSES + "/" + id).exchange());
        unauthorized(http.post().uri(ADDRESSES + "/" + id + "/default").exchange());
        String forged = nora.substring(0, nora.length() - 4) + "AAAA";
        unauthorized(delete(forged, id));
        unauthorized(makeDefault(forged, id));
        get(nora, id).expectStatus().isOk().expectBody().jsonPath("$.label").isEqualTo("Home");
        assertThat(rowsInDatabase("nora")).isEqualTo(1);
    }

    private static void unauthorized(WebTestClient.ResponseSpec response) {
        response.expectStatus().isUnauthorized()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.type").isEqualTo("https://surge.dev/problems/unauthorized");
    }

    private void assertRefused(String token, String field, String value) {
        Map<String, Object> body = address("Home");
        body.put(field, value);
        post(token, body).expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[*].field").isEqualTo(List.of(field));
    }

    private static Map<String, Object> address(String label) {
        Map<String, Object> address = new LinkedHashMap<>();
        address.put("label", label);
        address.put("recipientName", "Anna Schmidt");
        address.put("line1", "Invalidenstraße 117");
        address.put("city", "Berlin");
        address.put("postalCode", "10115");
        address.put("countryCode", "DE");
        return address;
    }

    private static Map<String, Object> withDefault(Map<String, Object> address) {
        address.put("default", true);
        return address;
    }

    private String idOf(WebTestClient.ResponseSpec response) {
        return (String) response.expectBody(JSON_OBJECT).returnResult().getResponseBody().get("id");
    }

    /** The id of the one address flagged default, failing when there is not exactly one. */
    private String defaultOf(String token) {
        List<?> items = (List<?>) list(token).expectStatus().isOk()
                .expectBody(JSON_OBJECT).returnResult().getResponseBody().get("items");
        List<?> defaults = items.stream()
                .map(item -> (Map<?, ?>) item)
                .filter(item -> Boolean.TRUE.equals(item.get("default")))
                .map(item -> item.get("id"))
                .toList();
        assertThat(defaults).hasSize(1);
        assertThat(((Map<?, ?>) items.get(0)).get("id")).as("the default is listed first").isEqualTo(defaults.get(0));
        return (String) defaults.get(0);
    }

    private static int status(WebTestClient.ResponseSpec response) {
        return response.expectBody(String.class).returnResult().getStatus().value();
    }

    private static String notFoundBody(WebTestClient.ResponseSpec response) {
        return response.expectStatus().isNotFound()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody(String.class).returnResult().getResponseBody();
    }

    /** Sends one request per input, each from its own thread, all released at the same moment; their statuses. */
    private static <T> List<Integer> inParallel(List<T> inputs, Function<T, Integer> request) throws Exception {
        CyclicBarrier start = new CyclicBarrier(inputs.size());
        ExecutorService threads = Executors.newFixedThreadPool(inputs.size());
        try {
            List<Callable<Integer>> calls = inputs.stream()
                    .<Callable<Integer>>map(input -> () -> {
                        start.await();
                        return request.apply(input);
                    })
                    .toList();
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> status : threads.invokeAll(calls)) {
                statuses.add(status.get());
            }
            return statuses;
        }
        finally {
            threads.shutdownNow();
        }
    }

    private long defaultsInDatabase(String userId) {
        return countInDatabase("SELECT count(*) FROM address WHERE user_id = ? AND is_default", userId);
    }

    private long rowsInDatabase(String userId) {
        return countInDatabase("SELECT count(*) FROM address WHERE user_id = ?", userId);
    }

    private long countInDatabase(String sql, String userId) {
        try (Connection connection = Infrastructure.postgres().connect(isolation.database());
                PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, userId);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
        catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private WebTestClient.ResponseSpec list(String token) {
        return http.get().uri(ADDRESSES).header(HttpHeaders.AUTHORIZATION, "Bearer " + token).exchange();
    }

    private WebTestClient.ResponseSpec get(String token, String id) {
        return http.get().uri(ADDRESSES + "/" + id).header(HttpHeaders.AUTHORIZATION, "Bearer " + token).exchange();
    }

    private WebTestClient.ResponseSpec post(String token, Map<String, Object> body) {
        return http.post().uri(ADDRESSES)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange();
    }

    private WebTestClient.ResponseSpec postRaw(String token, String body) {
        return http.post().uri(ADDRESSES)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange();
    }

    private WebTestClient.ResponseSpec put(String token, String id, Map<String, Object> body) {
        return http.put().uri(ADDRESSES + "/" + id)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange();
    }

    private WebTestClient.ResponseSpec delete(String token, String id) {
        return http.delete().uri(ADDRESSES + "/" + id).header(HttpHeaders.AUTHORIZATION, "Bearer " + token).exchange();
    }

    private WebTestClient.ResponseSpec makeDefault(String token, String id) {
        return http.post().uri(ADDRESSES + "/" + id + "/default")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .exchange();
    }
}
