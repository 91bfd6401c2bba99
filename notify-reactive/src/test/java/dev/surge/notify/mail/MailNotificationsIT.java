package dev.surge.notify.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.function.ThrowingConsumer;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

import dev.surge.events.Event;
import dev.surge.events.EventEnvelope;
import dev.surge.events.Money;
import dev.surge.events.fulfilment.OrderAllocated;
import dev.surge.events.fulfilment.OrderShipped;
import dev.surge.events.fulfilment.PaymentFailed;
import dev.surge.events.fulfilment.PaymentRefunded;
import dev.surge.events.fulfilment.PaymentSucceeded;
import dev.surge.events.order.OrderCancelled;
import dev.surge.events.order.OrderLine;
import dev.surge.events.order.OrderPlaced;
import dev.surge.events.order.OrderStatusChanged;
import dev.surge.messaging.EventPublisher;
import dev.surge.testsupport.Infrastructure;
import dev.surge.testsupport.IntegrationTest;
import dev.surge.testsupport.TcpProxy;
import dev.surge.testsupport.TestIsolation;
import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/**
 * The shopper's mails end to end in one context: events on a real broker, the read model and the
 * mail outbox in real PostgreSQL, SMTP to a real GreenMail behind a TCP proxy the tests cut.
 */
@IntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MailNotificationsIT {

    private static final int MAX_REFUSALS = 3;
    private static final GreenMail SMTP = new GreenMail(new ServerSetup(freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP))
            .withConfiguration(GreenMailConfiguration.aConfig().withDisabledAuthentication());
    private static final TcpProxy SMTP_PROXY;

    static {
        SMTP.start();
        SMTP_PROXY = TcpProxy.between("127.0.0.1", SMTP.getSmtp().getPort());
    }

    @DynamicPropertySource
    static void smtp(DynamicPropertyRegistry registry) {
        registry.add("spring.mail.host", () -> "127.0.0.1");
        registry.add("spring.mail.port", SMTP_PROXY::port);
        registry.add("spring.mail.properties[mail.smtp.connectiontimeout]", () -> "2000");
        registry.add("spring.mail.properties[mail.smtp.timeout]", () -> "2000");
        registry.add("spring.mail.properties[mail.smtp.writetimeout]", () -> "2000");
        registry.add("surge.mail.relay.poll-interval", () -> "100ms");
        registry.add("surge.mail.relay.initial-backoff", () -> "100ms");
        registry.add("surge.mail.relay.max-backoff", () -> "400ms");
        registry.add("surge.mail.relay.max-attempts", () -> MAX_REFUSALS);
        registry.add("surge.mail.shop-name", () -> "Surge Test Shop");
        registry.add("surge.mail.order-url", () -> "https://shop.test/orders/{orderId}");
    }

    @Autowired
    EventPublisher events;

    @Autowired
    TestIsolation isolation;

    @Autowired
    WebTestClient http;

    @Autowired
    MailRelay relay;

    @AfterAll
    void stopSmtp() {
        SMTP_PROXY.close();
        SMTP.stop();
    }

    @Test
    void mailsEachKindOnceWithBothPartsAndItsContent() throws Exception {
        UUID delivered = UUID.randomUUID();
        String ada = "ada-" + delivered + "@shop.test";
        publish(delivered, 1, placed(delivered, ada));
        publish(delivered, 1, new PaymentSucceeded(delivered, 1, "pay_1", eur(5_990)));
        publish(delivered, 2, changed(delivered, "PENDING_PAYMENT", "CONFIRMED", null));
        publish(delivered, 1, new OrderAllocated(delivered, "BER-1"));
        publish(delivered, 3, changed(delivered, "CONFIRMED", "ALLOCATED", null));
        publish(delivered, 2, new OrderShipped(delivered, "DHL", "JJD000123"));
        publish(delivered, 4, changed(delivered, "ALLOCATED", "SHIPPED", null));
        publish(delivered, 5, changed(delivered, "SHIPPED", "DELIVERED", null));

        UUID cancelled = UUID.randomUUID();
        String bob = "bob-" + cancelled + "@shop.test";
        publish(cancelled, 1, placed(cancelled, bob));
        publish(cancelled, 1, new PaymentFailed(cancelled, 1, "CARD_DECLINED", "do not honour"));
        publish(cancelled, 2, changed(cancelled, "PENDING_PAYMENT", "PAYMENT_FAILED", "CARD_DECLINED"));
        publish(cancelled, 3, new OrderCancelled(cancelled, "user-1", "CUSTOMER_REQUEST"));
        publish(cancelled, 2, new PaymentRefunded(cancelled, 1, "re_1", eur(5_990)));

        Map<String, MimeMessage> first = awaitMails(delivered, 4);
        assertThat(first).containsOnlyKeys("we received your order", "payment confirmed", "is on its way", "was delivered");
        Map<String, MimeMessage> second = awaitMails(cancelled, 4);
        assertThat(second).containsOnlyKeys("we received your order", "did not go through", "was cancelled", "refund of");

        MimeMessage received = first.get("we received your order");
        assertThat(received.getAllRecipients()[0].toString()).isEqualTo(ada);
        assertThat(received.getFrom()[0].toString()).contains("orders@surge.local");
        assertThat(received.getSubject()).startsWith("Surge Test Shop: ");
        assertThat(received.getMessageID()).startsWith("<" + delivered + ".").endsWith("@surge.local>");
        Map<String, String> parts = parts(received);
        assertThat(parts).containsOnlyKeys("text/plain", "text/html");
        assertThat(parts.get("text/plain"))
                .contains("2 x Espresso cup (CUP-1) at 12.50 EUR: 25.00 EUR", "1 x Milk jug (JUG-1) at 30.00 EUR: 30.00 EUR")
                .contains("Shipping: 4.90 EUR", "Total:    59.90 EUR (includes 9.56 EUR VAT)", "https://shop.test/orders/" + delivered)
                .doesNotContain("\n\n\n");
        assertThat(parts.get("text/html"))
                .contains("<td>Espresso cup<br>", "59.90 EUR", "href=\"https://shop.test/orders/" + delivered + "\"")
                .contains("Surge Test Shop");

        assertThat(parts(first.get("payment confirmed")).get("text/plain")).contains("We received your payment of 59.90 EUR");
        Map<String, String> shipped = parts(first.get("is on its way"));
        assertThat(shipped.get("text/plain")).contains("with DHL", "Tracking number: JJD000123");
        assertThat(shipped.get("text/html")).contains("<strong>JJD000123</strong>");
        assertThat(parts(first.get("was delivered")).get("text/html")).contains("Your order was delivered");

        Map<String, String> failed = parts(second.get("did not go through"));
        assertThat(failed.get("text/plain")).contains("your card was declined", "pay again with another payment method");
        assertThat(failed.get("text/html")).contains("What to do next:");
        assertThat(parts(second.get("was cancelled")).get("text/plain")).contains("cancelled (as you asked)");
        assertThat(parts(second.get("refund of")).get("text/plain")).contains("We refunded 59.90 EUR");
        second.values().forEach(mail -> assertThat(address(mail)).isEqualTo(bob));

        assertThat(row("SELECT status || ' ' || version || ' ' || tracking_number || ' ' || carrier FROM order_status"
                + " WHERE order_id = '" + delivered + "'")).isEqualTo("DELIVERED 5 JJD000123 DHL");
        assertThat(row("SELECT status || ' ' || version || ' ' || payment_failure_reason || ' ' || refunded_amount"
                + " || ' ' || (cancelled_at IS NOT NULL) FROM order_status WHERE order_id = '" + cancelled + "'"))
                .isEqualTo("CANCELLED 3 CARD_DECLINED 5990 true");
        assertNoMoreThan(delivered, 4);
        assertNoMoreThan(cancelled, 4);
    }

    @Test
    void shippedMailWaitsForTheTrackingNumberWhenTheStatusComesFirst() throws Exception {
        UUID order = UUID.randomUUID();
        publish(order, 1, placed(order, "cy-" + order + "@shop.test"));
        publish(order, 2, changed(order, "PENDING_PAYMENT", "SHIPPED", null));
        awaitMails(order, 1);
        assertThat(count("SELECT count(*) FROM mail_outbox WHERE order_id = '" + order + "'")).isEqualTo(1);

        publish(order, 7, new OrderShipped(order, "UPS", "1Z999"));
        Map<String, MimeMessage> mails = awaitMails(order, 2);
        assertThat(parts(mails.get("is on its way")).get("text/plain")).contains("with UPS", "Tracking number: 1Z999");
        assertNoMoreThan(order, 2);
    }

    @Test
    void redeliveredEventsSendNoSecondMail() throws Exception {
        UUID order = UUID.randomUUID();
        EventEnvelope<OrderPlaced> placed = EventEnvelope.of(order.toString(), 1, placed(order, "dee-" + order + "@shop.test"));
        EventEnvelope<OrderStatusChanged> confirmed = EventEnvelope.of(order.toString(), 2,
                changed(order, "PENDING_PAYMENT", "CONFIRMED", null));
        EventEnvelope<OrderShipped> shipped = EventEnvelope.of(order.toString(), 1, new OrderShipped(order, "DHL", "JJD9"));
        EventEnvelope<OrderStatusChanged> shippedStatus = EventEnvelope.of(order.toString(), 3,
                changed(order, "CONFIRMED", "SHIPPED", null));
        for (int round = 0; round < 2; round++) {
            publish(placed);
            publish(confirmed);
            publish(shipped);
            publish(shippedStatus);
        }
        // the same fact under a new event id (a producer that published it again) is not newer either
        publish(order, 2, changed(order, "PENDING_PAYMENT", "CONFIRMED", null));
        publish(order, 2, new OrderShipped(order, "DHL", "JJD9"));

        awaitMails(order, 3);
        assertNoMoreThan(order, 3);
        assertThat(count("SELECT count(*) FROM mail_outbox WHERE order_id = '" + order + "'")).isEqualTo(3);
    }

    @Test
    void aStaleVersionChangesNothing() throws Exception {
        UUID order = UUID.randomUUID();
        publish(order, 1, placed(order, "eve-" + order + "@shop.test"));
        publish(order, 3, changed(order, "ALLOCATED", "SHIPPED", null));
        publish(order, 2, changed(order, "PENDING_PAYMENT", "PAYMENT_FAILED", "CARD_DECLINED"));
        publish(order, 1, changed(order, "PENDING_PAYMENT", "CONFIRMED", null));
        publish(order, 3, new OrderCancelled(order, "user-1", "CUSTOMER_REQUEST"));
        // a newer status on the same topic and key, so on the same partition behind the stale ones: once it is
        // there, the stale ones were handled
        publish(order, 4, changed(order, "SHIPPED", "DELIVERED", null));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(row("SELECT status || ' ' || version FROM order_status WHERE order_id = '" + order + "'"))
                        .isEqualTo("DELIVERED 4"));
        assertThat(row("SELECT (cancelled_at IS NULL) || ' ' || (confirmed_at IS NULL) || ' ' || (payment_failed_at IS NULL)"
                + " FROM order_status WHERE order_id = '" + order + "'")).isEqualTo("true true true");
        assertThat(awaitMails(order, 2)).containsOnlyKeys("we received your order", "was delivered");
        assertNoMoreThan(order, 2);
    }

    @Test
    void noMailIsLostWhileSmtpIsDown() throws Throwable {
        List<UUID> orders = placeWhileSmtpIsDown(5, "fay", queued -> {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(count(
                    "SELECT count(*) FROM mail_outbox WHERE attempts >= 2 AND sent_at IS NULL AND order_id IN (" + queued + ")"))
                    .isEqualTo(5));
            assertThat(count("SELECT count(*) FROM mail_outbox WHERE (refusals > 0 OR parked_at IS NOT NULL)"
                    + " AND order_id IN (" + queued + ")")).isZero();
            assertThat(SMTP.getReceivedMessages()).noneMatch(mail -> queued.contains(messageId(mail).substring(1, 37)));
        });
        for (UUID order : orders) {
            awaitMails(order, 1);
        }
        for (UUID order : orders) {
            assertNoMoreThan(order, 1);
        }
    }

    @Test
    void relaysSideBySideNeverSendOneMailTwice() throws Throwable {
        List<UUID> orders = placeWhileSmtpIsDown(12, "hal", queued -> await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(count("SELECT count(*) FROM mail_outbox WHERE order_id IN (" + queued + ")"))
                        .isEqualTo(12)));
        // four more passes at once beside the running relay, as four more instances would run them
        StepVerifier.create(Flux.range(0, 4).flatMap(pass -> relay.pass(), 4).then())
                .expectComplete()
                .verify(Duration.ofSeconds(60));
        for (UUID order : orders) {
            awaitMails(order, 1);
        }
        for (UUID order : orders) {
            assertNoMoreThan(order, 1);
        }
    }

    @Test
    void aCrashBetweenAcceptAndMarkSentResendsTheSameMessage() throws Exception {
        UUID order = UUID.randomUUID();
        execute("CREATE SEQUENCE mark_sent_failures");
        execute("""
                CREATE FUNCTION fail_mark_sent_once() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF NEW.order_id = '%s' AND nextval('mark_sent_failures') = 1 THEN
                        RAISE EXCEPTION 'the process died after the server accepted the mail';
                    END IF;
                    RETURN NEW;
                END $$""".formatted(order));
        execute("""
                CREATE TRIGGER fail_mark_sent_once BEFORE UPDATE OF sent_at ON mail_outbox FOR EACH ROW
                WHEN (OLD.sent_at IS NULL AND NEW.sent_at IS NOT NULL) EXECUTE FUNCTION fail_mark_sent_once()""");
        try {
            EventEnvelope<OrderPlaced> placed = EventEnvelope.of(order.toString(), 1, placed(order, "gus-" + order + "@shop.test"));
            publish(placed);
            await().atMost(Duration.ofSeconds(30)).until(() -> mailsOf(order).size() == 2);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                    count("SELECT count(*) FROM mail_outbox WHERE sent_at IS NOT NULL AND order_id = '" + order + "'")).isEqualTo(1));
            List<MimeMessage> both = mailsOf(order);
            String expected = "<" + order + "." + placed.eventId() + "@surge.local>";
            assertThat(both).extracting(MimeMessage::getMessageID).containsExactly(expected, expected);
            assertThat(both.get(0).getSentDate()).isEqualTo(both.get(1).getSentDate());
            assertThat(parts(both.get(0))).isEqualTo(parts(both.get(1)));
            assertNoMoreThan(order, 2);
        }
        finally {
            execute("DROP TRIGGER fail_mark_sent_once ON mail_outbox");
            execute("DROP FUNCTION fail_mark_sent_once()");
            execute("DROP SEQUENCE mark_sent_failures");
        }
    }

    @Test
    void aMailRefusedMaxAttemptsTimesIsParkedForOps() throws Exception {
        UUID order = UUID.randomUUID();
        publish(order, 1, placed(order, "not an address"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                row("SELECT refusals || ' ' || (parked_at IS NOT NULL) || ' ' || (sent_at IS NULL) FROM mail_outbox"
                        + " WHERE order_id = '" + order + "'")).isEqualTo(MAX_REFUSALS + " true true"));
        assertThat(row("SELECT last_error FROM mail_outbox WHERE order_id = '" + order + "'")).contains("AddressException");

        http.get().uri("/actuator/mails").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.backlog.parked").isEqualTo(1)
                .jsonPath("$.parked[0].orderId").isEqualTo(order.toString())
                .jsonPath("$.parked[0].kind").isEqualTo("ORDER_RECEIVED")
                .jsonPath("$.parked[0].refusals").isEqualTo(MAX_REFUSALS);
        // parked: never tried again on its own
        int attempts = Integer.parseInt(row("SELECT attempts FROM mail_outbox WHERE order_id = '" + order + "'"));
        await().pollDelay(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2)).untilAsserted(() -> assertThat(
                row("SELECT attempts FROM mail_outbox WHERE order_id = '" + order + "'")).isEqualTo(String.valueOf(attempts)));

        String id = row("SELECT id FROM mail_outbox WHERE order_id = '" + order + "'");
        http.post().uri("/actuator/mails/{id}", id).contentType(MediaType.APPLICATION_JSON).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.mails").isEqualTo(1);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                row("SELECT refusals || ' ' || (parked_at IS NOT NULL) FROM mail_outbox WHERE order_id = '" + order + "'"))
                .isEqualTo(MAX_REFUSALS + " true"));
        http.post().uri("/actuator/mails/{id}", "123456789").contentType(MediaType.APPLICATION_JSON).exchange()
                .expectStatus().isNotFound()
                .expectBody().jsonPath("$.type").isEqualTo("https://surge.dev/problems/mail-not-parked");
        http.post().uri("/actuator/mails/{id}", "x1").contentType(MediaType.APPLICATION_JSON).exchange()
                .expectStatus().isBadRequest();
    }

    // ---- fixtures

    /** Places {@code count} orders while SMTP is cut and runs {@code whileDown} (given the ids as an SQL list) before restoring it. */
    private List<UUID> placeWhileSmtpIsDown(int count, String who, ThrowingConsumer<String> whileDown) throws Throwable {
        List<UUID> orders = new ArrayList<>();
        SMTP_PROXY.cut();
        try {
            for (int i = 0; i < count; i++) {
                UUID order = UUID.randomUUID();
                orders.add(order);
                publish(order, 1, placed(order, who + "-" + order + "@shop.test"));
            }
            whileDown.accept(orders.stream().map(id -> "'" + id + "'").reduce((a, b) -> a + "," + b).orElseThrow());
        }
        finally {
            SMTP_PROXY.restore();
        }
        return orders;
    }

    private static OrderPlaced placed(UUID order, String email) {
        List<OrderLine> lines = List.of(
                new OrderLine("CUP-1", "Espresso cup", 2, eur(1_250), eur(2_500)),
                new OrderLine("JUG-1", "Milk jug", 1, eur(3_000), eur(3_000)));
        return new OrderPlaced(order, "user-1", email, lines, eur(5_500), eur(956), eur(490), eur(5_990));
    }

    private static OrderStatusChanged changed(UUID order, String from, String to, String reason) {
        return new OrderStatusChanged(order, "user-1", from, to, reason);
    }

    private static Money eur(long cents) {
        return new Money(cents, "EUR");
    }

    private void publish(UUID order, long version, Event event) {
        publish(EventEnvelope.of(order.toString(), version, event));
    }

    private void publish(EventEnvelope<?> envelope) {
        StepVerifier.create(events.publish(envelope)).verifyComplete();
    }

    /** The mails of one order (their Message-ID names it), in the order GreenMail received them. */
    private static List<MimeMessage> mailsOf(UUID order) {
        return Arrays.stream(SMTP.getReceivedMessages())
                .filter(mail -> messageId(mail).contains(order.toString()))
                .toList();
    }

    /** Waits for {@code expected} mails of the order and names each by the part of its subject that says what it is. */
    private static Map<String, MimeMessage> awaitMails(UUID order, int expected) {
        await().atMost(Duration.ofSeconds(30)).until(() -> mailsOf(order).size() >= expected);
        Map<String, MimeMessage> byKind = new HashMap<>();
        List<String> kinds = List.of("we received your order", "payment confirmed", "did not go through", "is on its way",
                "was delivered", "was cancelled", "refund of");
        for (MimeMessage mail : mailsOf(order)) {
            String subject = subject(mail);
            String kind = kinds.stream().filter(subject::contains).findFirst().orElse(subject);
            assertThat(byKind.put(kind, mail)).as("a second '%s' mail", kind).isNull();
        }
        return byKind;
    }

    /** The relay had time to send more than once; there is still only what there should be. */
    private static void assertNoMoreThan(UUID order, int expected) {
        await().pollDelay(Duration.ofMillis(800)).atMost(Duration.ofSeconds(2))
                .untilAsserted(() -> assertThat(mailsOf(order)).hasSize(expected));
    }

    private static Map<String, String> parts(MimeMessage mail) throws Exception {
        Map<String, String> parts = new HashMap<>();
        collect(mail.getContent(), parts);
        return parts;
    }

    private static void collect(Object content, Map<String, String> parts) throws Exception {
        if (content instanceof Multipart multipart) {
            for (int i = 0; i < multipart.getCount(); i++) {
                BodyPart part = multipart.getBodyPart(i);
                if (part.getContent() instanceof Multipart) {
                    collect(part.getContent(), parts);
                }
                else {
                    String type = part.getContentType().split(";")[0].trim().toLowerCase();
                    assertThat(parts.put(type, (String) part.getContent())).as("a second %s part", type).isNull();
                }
            }
        }
    }

    private static String messageId(MimeMessage mail) {
        try {
            return String.valueOf(mail.getMessageID());
        }
        catch (Exception unreadable) {
            throw new IllegalStateException(unreadable);
        }
    }

    private static String subject(MimeMessage mail) {
        try {
            return mail.getSubject();
        }
        catch (Exception unreadable) {
            throw new IllegalStateException(unreadable);
        }
    }

    private static String address(MimeMessage mail) {
        try {
            return mail.getAllRecipients()[0].toString();
        }
        catch (Exception unreadable) {
            throw new IllegalStateException(unreadable);
        }
    }

    private String row(String sql) throws SQLException {
        try (Connection connection = Infrastructure.postgres().connect(isolation.database());
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            return rows.next() ? rows.getString(1) : null;
        }
    }

    private long count(String sql) throws SQLException {
        return Long.parseLong(row(sql));
    }

    private void execute(String sql) throws SQLException {
        try (Connection connection = Infrastructure.postgres().connect(isolation.database());
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
        catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
