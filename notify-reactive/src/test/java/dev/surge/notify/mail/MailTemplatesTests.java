package dev.surge.notify.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.surge.events.Money;
import dev.surge.events.order.OrderLine;

class MailTemplatesTests {

    private final MailNotificationProperties properties = new MailNotificationProperties("Surge & Sons", "Surge <o@surge.local>",
            "https://shop.test/orders/{orderId}", "surge.local", relay(Duration.ofSeconds(1), Duration.ofSeconds(10)));
    private final MailComposer composer = new MailComposer(properties);

    @Test
    void escapesValuesInTheHtmlPartOnly() {
        UUID order = UUID.randomUUID();
        Mail mail = composer.orderReceived(order, UUID.randomUUID(), "a@shop.test",
                List.of(new OrderLine("X-1", "<b>Bold</b> & \"cup\"", 1, eur(100), eur(100))), eur(100), eur(16), eur(0), eur(100));
        assertThat(mail.html()).contains("&lt;b&gt;Bold&lt;/b&gt; &amp; &quot;cup&quot;", "Surge &amp; Sons")
                .doesNotContain("<b>Bold</b>");
        assertThat(mail.text()).contains("1 x <b>Bold</b> & \"cup\" (X-1) at 1.00 EUR: 1.00 EUR");
        assertThat(mail.subject()).isEqualTo("Surge & Sons: we received your order " + order.toString().substring(0, 8));
        assertThat(mail.messageId()).isEqualTo("<" + order + "." + mail.eventId() + "@surge.local>");
    }

    @Test
    void everyKindRendersWithTheLayoutAndTheOrderLink() {
        UUID order = UUID.randomUUID();
        UUID event = UUID.randomUUID();
        List<Mail> all = List.of(
                composer.orderReceived(order, event, "a@shop.test", List.of(new OrderLine("X-1", "Cup", 3, eur(250), eur(750))),
                        eur(750), eur(120), eur(495), eur(1_245)),
                composer.paymentConfirmed(order, event, "a@shop.test", null),
                composer.paymentFailed(order, event, "a@shop.test", "SOMETHING_NEW"),
                composer.shipped(order, event, "a@shop.test", null, "T-1"),
                composer.delivered(order, event, "a@shop.test"),
                composer.cancelled(order, event, "a@shop.test", null),
                composer.refunded(order, event, "a@shop.test", new Money(1_500, "JPY")));
        assertThat(all).extracting(Mail::kind).containsExactly(MailKind.values());
        for (Mail mail : all) {
            assertThat(mail.text()).startsWith("Surge & Sons\n\n").contains("Your order: https://shop.test/orders/" + order);
            assertThat(mail.html()).contains("href=\"https://shop.test/orders/" + order + "\"", "<title>" + "Surge &amp; Sons");
            assertThat(mail.text()).doesNotContain("{{").doesNotContain("\n\n\n");
            assertThat(mail.html()).doesNotContain("{{");
        }
        assertThat(all.get(1).text()).contains("We received your payment. ");
        assertThat(all.get(2).text()).contains("the payment was refused (SOMETHING_NEW).", "another payment method");
        assertThat(all.get(3).text()).contains("with our carrier", "Tracking number: T-1");
        assertThat(all.get(5).text()).contains("cancelled (by the shop)");
        assertThat(all.get(6).subject()).contains("refund of 1500 JPY");
    }

    @Test
    void moneyIsWrittenInTheCurrencysOwnDecimals() {
        assertThat(MailComposer.money(eur(1_999))).isEqualTo("19.99 EUR");
        assertThat(MailComposer.money(eur(5))).isEqualTo("0.05 EUR");
        assertThat(MailComposer.money(eur(-250))).isEqualTo("-2.50 EUR");
        assertThat(MailComposer.money(new Money(1_000, "BHD"))).isEqualTo("1.000 BHD");
    }

    @Test
    void aValueTheModelLacksFailsInsteadOfLeavingABlank() {
        MailTemplates templates = MailTemplates.fromClasspath();
        assertThatThrownBy(() -> templates.render(MailKind.SHIPPED, java.util.Map.of("shopName", "S", "orderId", "o",
                "shortOrderId", "o", "orderUrl", "u", "carrier", "DHL")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("trackingNumber");
    }

    @Test
    void backoffDoublesPerTryUpToTheLimit() {
        MailNotificationProperties.Relay relay = relay(Duration.ofSeconds(1), Duration.ofSeconds(10));
        assertThat(List.of(relay.backoff(1), relay.backoff(2), relay.backoff(3), relay.backoff(4), relay.backoff(5),
                relay.backoff(500))).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4),
                Duration.ofSeconds(8), Duration.ofSeconds(10), Duration.ofSeconds(10));
    }

    @Test
    void aSendTimeoutBeyondTheIdleTransactionLimitIsRefused() {
        assertThatThrownBy(() -> new MailNotificationProperties.Relay(true, Duration.ofSeconds(1), 20, 2,
                Duration.ofSeconds(30), 5, Duration.ofSeconds(1), Duration.ofMinutes(5), Duration.ofDays(30),
                Duration.ofHours(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("send-timeout");
    }

    private static MailNotificationProperties.Relay relay(Duration initial, Duration max) {
        return new MailNotificationProperties.Relay(true, Duration.ofSeconds(1), 20, 2, Duration.ofSeconds(20), 5, initial, max,
                Duration.ofDays(30), Duration.ofHours(1));
    }

    private static Money eur(long cents) {
        return new Money(cents, "EUR");
    }
}
