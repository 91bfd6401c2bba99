package dev.surge.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

import dev.surge.testsupport.Browser;
import dev.surge.testsupport.Infrastructure;
import dev.surge.testsupport.TestIsolation;
import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;

/**
 * The order saga end to end with all five built jars as their own processes (gateway, catalog,
 * cart-order, fulfilment, notify), the test broker, the test identity provider and GreenMail as
 * notify's SMTP server. A shopper signed in with the session cookie checks out through the gateway;
 * fulfilment charges the simulated provider and ships at once (its delays are 0 here); the order
 * goes to {@code DELIVERED} and the shopper gets each mail once. A declined card fails the order and
 * gives its stock back; a retry with a good card takes it again and the order goes through.
 * One set of processes serves both tests; each test has its own shopper and product.
 */
class OrderSagaThroughGatewayIT {

    private static final Pattern ORDER_ID = Pattern.compile("\"id\"\\s*:\\s*\"([0-9a-f-]{36})\"");
    private static final Pattern TOTAL = Pattern.compile("\"total\"\\s*:\\s*\\{\"amount\"\\s*:\\s*(\\d+)");
    private static final Pattern STATUS = Pattern.compile("\"status\"\\s*:\\s*\"([A-Z_]+)\"");
    private static final Pattern AVAILABLE = Pattern.compile("\"available\"\\s*:\\s*(\\d+)");
    private static final String HAMBURG = """
            {"recipientName": "Alice Shopper", "line1": "1 Harbour Street", "city": "Hamburg", "postalCode": "20095", "countryCode": "DE"}""";
    private static final String AMSTERDAM = """
            {"recipientName": "Bob Shopper", "line1": "Damrak 1", "city": "Amsterdam", "postalCode": "1012 LG", "countryCode": "NL"}""";
    /** The part of each mail's subject that says what it is (notify's templates). */
    private static final List<String> MAIL_KINDS = List.of("we received your order", "payment confirmed",
            "did not go through", "is on its way", "was delivered", "was cancelled", "refund of");

    private static final GreenMail SMTP = new GreenMail(new ServerSetup(freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP))
            .withConfiguration(GreenMailConfiguration.aConfig().withDisabledAuthentication());

    private static final List<TestIsolation> databases = new ArrayList<>();
    private static final List<ServiceProcess> services = new ArrayList<>();
    private static ServiceProcess gateway;
    private static ServiceProcess notify;
    private static Map<String, String> ops;

    @BeforeAll
    static void startTheShop() throws IOException {
        SMTP.start();
        TestIsolation shop = database(OrderSagaThroughGatewayIT.class);
        // one shop: every service on the same topics
        Map<String, Object> common = ServiceSettings.shop(shop);

        Map<String, Object> fulfilment = ServiceSettings.withDatabase(common, database(FulfilmentDatabase.class));
        // each shipment step as soon as the one before it (dev: a few seconds each)
        fulfilment.put("surge.fulfilment.allocate-delay", "0s");
        fulfilment.put("surge.fulfilment.ship-delay", "0s");
        fulfilment.put("surge.fulfilment.deliver-delay", "0s");
        fulfilment.put("surge.fulfilment.poll-interval", "200ms");
        Map<String, Object> mail = ServiceSettings.withDatabase(common, database(NotifyDatabase.class));
        mail.put("spring.mail.host", "127.0.0.1");
        mail.put("spring.mail.port", SMTP.getSmtp().getPort());
        mail.put("surge.mail.relay.poll-interval", "200ms");

        ServiceProcess catalog = service("catalog-reactive", ServiceSettings.withDatabase(common, shop));
        ServiceProcess cartOrder = service("cart-order-reactive", ServiceSettings.withDatabase(common, database(OrdersDatabase.class)));
        ServiceProcess payments = service("fulfilment-reactive", fulfilment);
        notify = service("notify-reactive", mail);
        Map<String, Object> routes = new HashMap<>(common);
        routes.put("surge.services.catalog", catalog.url());
        routes.put("surge.services.cart-order", cartOrder.url());
        routes.put("surge.services.fulfilment", payments.url());
        routes.put("surge.services.notify", notify.url());
        gateway = service("edge-gateway", routes);
        for (ServiceProcess service : services) {
            service.awaitReady(Duration.ofSeconds(180));
        }

        // the demo catalog loaded by SQL, announced when ops ask, learnt by cart-order from the events alone
        Path fixture = Path.of(System.getProperty("surge.root", "..")).resolve("catalog-reactive/src/test/resources/fixtures/catalog.sql");
        Infrastructure.postgres().execute(shop.database(), Files.readString(fixture));
        ops = Map.of("Authorization", "Bearer " + Infrastructure.identityProvider().opsToken("olga"));
        HttpResponse<String> announced = new Browser().postJson(gateway.url() + "/api/admin/products/announcements", "", ops);
        assertThat(announced.statusCode()).as(announced.body()).isEqualTo(200);
    }

    /** Names the databases of this class beside catalog's. */
    private static final class OrdersDatabase {
    }

    private static final class FulfilmentDatabase {
    }

    private static final class NotifyDatabase {
    }

    @AfterAll
    static void stopTheShop() {
        services.reversed().forEach(ServiceProcess::close);
        databases.forEach(TestIsolation::close);
        SMTP.stop();
    }

    @Test
    void aPaidOrderGoesFromCheckoutToDeliveredAndTheShopperGetsEachMailOnce() {
        stock("P-SONY", 5);
        Browser alice = signedIn("saga-alice");
        String order = checkout(alice, "P-SONY", "tok_visa", HAMBURG);

        String delivered = awaitStatus(alice, order, "DELIVERED");
        assertThat(timeline(delivered)).containsExactly("PENDING_PAYMENT", "CONFIRMED", "ALLOCATED", "SHIPPED", "DELIVERED");
        assertThat(delivered).doesNotContain("tok_visa");
        assertThat(available("P-SONY")).isEqualTo(4);

        Map<String, MimeMessage> mails = awaitMails("saga-alice@surge.test", order,
                List.of("we received your order", "payment confirmed", "is on its way", "was delivered"));
        assertThat(text(mails.get("is on its way"))).containsPattern("DHL[0-9A-F]{16}");
        assertThat(text(mails.get("we received your order"))).contains("Sony WH-1000XM5", "/orders/" + order);

        // the payment is one charge at the provider, seen by ops through the gateway, as is the shipment
        assertThat(charges(order)).isEqualTo(1);
        assertThat(deliveredShipments()).containsPattern("\"orderId\":\"" + order + "\"[^}]*\"warehouse\":\"BER-1\"");
    }

    /**
     * The shopper's browser as the confirmation page uses it: the all-my-orders stream through the gateway
     * with the session cookie only. It outlives a silent minute on heartbeats (the gateway's 10 s response
     * timeout and common proxies' 60 s idle timeouts would cut it otherwise), then shows the order's every
     * status, in order, with growing ids; the order's own stream ends at its final status and a reconnect
     * after it is a 204, which stops EventSource.
     */
    @Test
    void theShopperWatchesTheirOrderLiveThroughTheGatewayWithTheSessionCookieAfterASilentMinute() {
        stock("P-BOSE", 5);
        Browser carol = signedIn("saga-carol");
        String order;
        List<String> lines;
        try (Browser.EventStream mine = carol.stream(gateway.url() + "/api/orders/events")) {
            await().atMost(Duration.ofSeconds(30)).until(() -> mine.lines().contains("event:snapshot"));
            assertThat(mine.status()).isEqualTo(200);
            await().during(Duration.ofSeconds(65)).atMost(Duration.ofSeconds(70)).until(() -> !mine.ended());
            assertThat(mine.lines().stream().filter(line -> line.startsWith(":heartbeat")).count())
                    .as("a heartbeat every 15 s through the gateway").isGreaterThanOrEqualTo(3);

            order = checkout(carol, "P-BOSE", "tok_visa", HAMBURG);
            String placed = order;
            await().atMost(Duration.ofSeconds(60)).until(() -> mine.data().stream()
                    .anyMatch(data -> data.contains("\"orderId\":\"" + placed + "\"") && data.contains("\"status\":\"DELIVERED\"")));
            lines = mine.lines();
        }
        List<String> statuses = new ArrayList<>();
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).equals("event:order") && i > 0 && lines.get(i - 1).startsWith("id:")
                    && i + 1 < lines.size() && lines.get(i + 1).contains("\"orderId\":\"" + order + "\"")) {
                ids.add(Long.parseLong(lines.get(i - 1).substring(3).strip()));
                Matcher status = STATUS.matcher(lines.get(i + 1));
                assertThat(status.find()).isTrue();
                statuses.add(status.group(1));
            }
        }
        assertThat(statuses.stream().distinct().toList()).as(String.join("\n", lines))
                .endsWith("CONFIRMED", "ALLOCATED", "SHIPPED", "DELIVERED");
        assertThat(ids).isSorted().doesNotHaveDuplicates();

        // the order's own stream: its snapshot says it is final, and the stream ends by itself
        try (Browser.EventStream one = carol.stream(gateway.url() + "/api/orders/" + order + "/events")) {
            await().atMost(Duration.ofSeconds(30)).until(one::ended);
            assertThat(one.data()).singleElement().asString().contains("\"status\":\"DELIVERED\"", "\"finalStatus\":true");
        }
        HttpResponse<String> reconnect = carol.get(gateway.url() + "/api/orders/" + order + "/events",
                Map.of("Accept", "text/event-stream", "Last-Event-ID", Long.toString(ids.getLast())));
        assertThat(reconnect.statusCode()).as(reconnect.body()).isEqualTo(204);
    }

    @Test
    void aDeclinedCardFailsTheOrderAndGivesTheStockBackThenARetryWithAGoodCardConfirmsIt() {
        stock("P-JBL", 3);
        Browser bob = signedIn("saga-bob");
        String order = checkout(bob, "P-JBL", "tok_chargeDeclined", AMSTERDAM);

        String failed = awaitStatus(bob, order, "PAYMENT_FAILED");
        assertThat(failed).contains("\"failureCode\":\"CARD_DECLINED\"");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(available("P-JBL")).isEqualTo(3));
        Map<String, MimeMessage> failureMails = awaitMails("saga-bob@surge.test", order,
                List.of("we received your order", "did not go through"));
        assertThat(text(failureMails.get("did not go through"))).containsIgnoringCase("another payment method");

        Map<String, String> retry = new HashMap<>(csrf(bob));
        retry.put("Idempotency-Key", UUID.randomUUID().toString());
        HttpResponse<String> again = bob.postJson(gateway.url() + "/api/orders/" + order + "/payment",
                "{\"paymentMethod\": \"tok_visa\"}", retry);
        assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
        assertThat(again.body()).contains("\"status\":\"PENDING_PAYMENT\"");
        assertThat(available("P-JBL")).isEqualTo(2);

        // fulfilment ships at once here, so the confirmed order goes on to DELIVERED
        String delivered = awaitStatus(bob, order, "DELIVERED");
        assertThat(timeline(delivered)).containsExactly("PENDING_PAYMENT", "PAYMENT_FAILED", "PENDING_PAYMENT", "CONFIRMED",
                "ALLOCATED", "SHIPPED", "DELIVERED");
        assertThat(available("P-JBL")).isEqualTo(2);
        Map<String, MimeMessage> mails = awaitMails("saga-bob@surge.test", order, List.of("we received your order",
                "did not go through", "payment confirmed", "is on its way", "was delivered"));
        // the retry carried the delivery country: the parcel left from the Dutch warehouse with its carrier
        assertThat(text(mails.get("is on its way"))).containsPattern("POS[0-9A-F]{16}");
        assertThat(deliveredShipments()).containsPattern("\"orderId\":\"" + order + "\"[^}]*\"warehouse\":\"AMS-1\"");
        // two attempts, two charges: the declined one and the one that paid
        assertThat(charges(order)).isEqualTo(2);
    }

    private static TestIsolation database(Class<?> name) {
        TestIsolation isolation = TestIsolation.forClass(name);
        databases.add(isolation);
        return isolation;
    }

    private static ServiceProcess service(String module, Map<String, Object> settings) {
        ServiceProcess service = ServiceProcess.start(module, settings);
        services.add(service);
        return service;
    }

    private static Browser signedIn(String user) {
        Browser shopper = new Browser();
        HttpResponse<String> landed = shopper.signIn(gateway.url(), user, "{\"email\":\"" + user + "@surge.test\"}");
        assertThat(landed.statusCode()).as(gateway.tail()).isEqualTo(302);
        shopper.get(gateway.url() + "/api/session");
        return shopper;
    }

    private static Map<String, String> csrf(Browser shopper) {
        return Map.of("X-XSRF-TOKEN", shopper.cookie(gateway.url(), "XSRF-TOKEN"));
    }

    /** Ops set the sku's stock, once cart-order has learnt the product from catalog's events. */
    private static void stock(String sku, int units) {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            HttpResponse<String> stocked = new Browser().sendJson("PUT", gateway.url() + "/api/admin/inventory/" + sku,
                    "{\"available\": " + units + ", \"lowStockThreshold\": 1}", ops);
            assertThat(stocked.statusCode()).as(stocked.body()).isEqualTo(200);
        });
    }

    private static int available(String sku) {
        HttpResponse<String> level = new Browser().get(gateway.url() + "/api/admin/inventory/" + sku, ops);
        assertThat(level.statusCode()).as(level.body()).isEqualTo(200);
        Matcher available = AVAILABLE.matcher(level.body());
        assertThat(available.find()).as(level.body()).isTrue();
        return Integer.parseInt(available.group(1));
    }

    /**
     * One unit into the cart and checked out with {@code paymentMethod} to {@code address}, confirming
     * the total the shop quotes; the order id.
     */
    private static String checkout(Browser shopper, String sku, String paymentMethod, String address) {
        Map<String, String> csrf = csrf(shopper);
        HttpResponse<String> added = shopper.postJson(gateway.url() + "/api/cart/items", "{\"sku\": \"" + sku + "\", \"quantity\": 1}", csrf);
        assertThat(added.statusCode()).as(added.body()).isEqualTo(200);
        String body = "{\"address\": " + address + ", \"paymentMethod\": \"" + paymentMethod
                + "\", \"expectedTotal\": {\"amount\": %d, \"currency\": \"EUR\"}}";
        Map<String, String> headers = new HashMap<>(csrf);
        headers.put("Idempotency-Key", UUID.randomUUID().toString());
        HttpResponse<String> quoted = shopper.postJson(gateway.url() + "/api/orders", body.formatted(0), headers);
        assertThat(quoted.statusCode()).as(quoted.body()).isEqualTo(409);
        Matcher total = TOTAL.matcher(quoted.body());
        assertThat(total.find()).as(quoted.body()).isTrue();
        HttpResponse<String> placed = shopper.postJson(gateway.url() + "/api/orders",
                body.formatted(Long.parseLong(total.group(1))), headers);
        assertThat(placed.statusCode()).as(placed.body()).isEqualTo(201);
        assertThat(placed.body()).contains("\"status\":\"PENDING_PAYMENT\"");
        Matcher id = ORDER_ID.matcher(placed.body());
        assertThat(id.find()).isTrue();
        return id.group(1);
    }

    /** Polls the shopper's order through the gateway until it is {@code status}; its last body. */
    private static String awaitStatus(Browser shopper, String order, String status) {
        String[] last = new String[1];
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            HttpResponse<String> read = shopper.get(gateway.url() + "/api/orders/" + order);
            assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
            last[0] = read.body();
            Matcher current = STATUS.matcher(read.body());
            assertThat(current.find()).isTrue();
            assertThat(current.group(1)).as(read.body()).isEqualTo(status);
        });
        return last[0];
    }

    /** The statuses of the order's timeline, in order. */
    private static List<String> timeline(String order) {
        String timeline = order.substring(order.indexOf("\"timeline\""));
        List<String> statuses = new ArrayList<>();
        Matcher status = STATUS.matcher(timeline);
        while (status.find()) {
            statuses.add(status.group(1));
        }
        return statuses;
    }

    /**
     * Waits until notify has sent everything it queued and the recipient has the order's mails of
     * {@code kinds}, each once and no other; the mails by kind.
     */
    private static Map<String, MimeMessage> awaitMails(String recipient, String order, List<String> kinds) {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(kindsOf(mailsOf(recipient, order)))
                .containsExactlyInAnyOrderElementsOf(kinds));
        // nothing more waiting to go: what has arrived is all there is
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(new Browser().get(notify.url() + "/actuator/mails").body())
                .containsPattern("\"pending\"\\s*:\\s*0").containsPattern("\"parked\"\\s*:\\s*0"));
        List<MimeMessage> mails = mailsOf(recipient, order);
        assertThat(kindsOf(mails)).containsExactlyInAnyOrderElementsOf(kinds);
        Map<String, MimeMessage> byKind = new HashMap<>();
        mails.forEach(mail -> byKind.put(kindOf(mail), mail));
        return byKind;
    }

    /** The mails GreenMail received for {@code recipient} about the order (its id is in their Message-ID). */
    private static List<MimeMessage> mailsOf(String recipient, String order) {
        return Arrays.stream(SMTP.getReceivedMessages())
                .filter(mail -> header(mail, "Message-ID").contains(order) && recipients(mail).contains(recipient))
                .toList();
    }

    private static List<String> kindsOf(List<MimeMessage> mails) {
        return mails.stream().map(OrderSagaThroughGatewayIT::kindOf).toList();
    }

    private static String kindOf(MimeMessage mail) {
        String subject = header(mail, "Subject");
        return MAIL_KINDS.stream().filter(subject::contains).findFirst().orElse(subject);
    }

    private static String header(MimeMessage mail, String name) {
        try {
            String[] values = mail.getHeader(name);
            return values == null ? "" : String.join(" ", values);
        }
        catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> recipients(MimeMessage mail) {
        try {
            Address[] to = mail.getAllRecipients();
            return to == null ? List.of() : Arrays.stream(to).map(Address::toString).toList();
        }
        catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The text of every part, decoded (plain text and HTML). */
    private static String text(MimeMessage mail) {
        try {
            return text(mail.getContent());
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String text(Object content) throws MessagingException, IOException {
        if (content instanceof Multipart parts) {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < parts.getCount(); i++) {
                text.append(text(parts.getBodyPart(i).getContent())).append('\n');
            }
            return text.toString();
        }
        return String.valueOf(content);
    }

    /** How many charges of the order fulfilment lists to ops, through the gateway's fulfilment route. */
    private static int charges(String order) {
        String charges = opsRead("/api/ops/payments?kind=CHARGE&size=100");
        return charges.split(Pattern.quote("\"orderId\":\"" + order + "\""), -1).length - 1;
    }

    private static String deliveredShipments() {
        return opsRead("/api/ops/shipments?status=DELIVERED&size=100");
    }

    private static String opsRead(String path) {
        HttpResponse<String> read = new Browser().get(gateway.url() + path, ops);
        assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
        return read.body();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
