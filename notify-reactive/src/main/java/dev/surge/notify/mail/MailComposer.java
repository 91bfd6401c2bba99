package dev.surge.notify.mail;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.stereotype.Component;

import dev.surge.events.Money;
import dev.surge.events.order.OrderLine;

/**
 * Renders the mail for one event of one order from the templates. Pure and in memory: it runs in
 * the consumer's transaction, and the outbox stores its result, so a resend never renders again.
 */
@Component
public class MailComposer {

    private final MailTemplates templates;
    private final MailNotificationProperties properties;

    MailComposer(MailNotificationProperties properties) {
        this.templates = MailTemplates.fromClasspath();
        this.properties = properties;
    }

    /** "We received your order": its lines and totals, straight from {@code OrderPlaced}. */
    public Mail orderReceived(UUID orderId, UUID eventId, String recipient, List<OrderLine> lines, Money subtotal,
            Money tax, Money shipping, Money total) {
        List<Map<String, Object>> items = lines.stream()
                .<Map<String, Object>>map(line -> Map.of(
                        "sku", line.sku(),
                        "name", line.name(),
                        "quantity", Integer.toString(line.quantity()),
                        "unitPrice", money(line.unitPrice()),
                        "lineTotal", money(line.lineTotal())))
                .toList();
        return compose(MailKind.ORDER_RECEIVED, orderId, eventId, recipient, Map.of(
                "lines", items,
                "subtotal", money(subtotal),
                "tax", money(tax),
                "shipping", money(shipping),
                "total", money(total)));
    }

    /** "Payment confirmed", with the order's total when it is known. */
    public Mail paymentConfirmed(UUID orderId, UUID eventId, String recipient, Money total) {
        return compose(MailKind.PAYMENT_CONFIRMED, orderId, eventId, recipient,
                Map.of("total", total == null ? "" : money(total)));
    }

    /** "Payment failed", the reason in words and what to do next. */
    public Mail paymentFailed(UUID orderId, UUID eventId, String recipient, String reasonCode) {
        return compose(MailKind.PAYMENT_FAILED, orderId, eventId, recipient, Map.of("reason", failure(reasonCode)));
    }

    /** "On its way", with the carrier and tracking number. */
    public Mail shipped(UUID orderId, UUID eventId, String recipient, String carrier, String trackingNumber) {
        return compose(MailKind.SHIPPED, orderId, eventId, recipient,
                Map.of("carrier", carrier == null ? "our carrier" : carrier, "trackingNumber", trackingNumber));
    }

    public Mail delivered(UUID orderId, UUID eventId, String recipient) {
        return compose(MailKind.DELIVERED, orderId, eventId, recipient, Map.of());
    }

    public Mail cancelled(UUID orderId, UUID eventId, String recipient, String reasonCode) {
        return compose(MailKind.CANCELLED, orderId, eventId, recipient, Map.of("reason", cancellation(reasonCode)));
    }

    public Mail refunded(UUID orderId, UUID eventId, String recipient, Money amount) {
        return compose(MailKind.REFUNDED, orderId, eventId, recipient, Map.of("amount", money(amount)));
    }

    private Mail compose(MailKind kind, UUID orderId, UUID eventId, String recipient, Map<String, Object> details) {
        Map<String, Object> model = new HashMap<>(details);
        model.put("shopName", properties.shopName());
        model.put("orderId", orderId.toString());
        model.put("shortOrderId", orderId.toString().substring(0, 8));
        model.put("orderUrl", properties.orderUrl().replace("{orderId}", orderId.toString()));
        MailTemplates.Rendered rendered = templates.render(kind, model);
        return new Mail(orderId, eventId, kind, recipient, rendered.subject(), rendered.text(), rendered.html(),
                Mail.messageId(orderId, eventId, properties.messageIdDomain()));
    }

    /** Minor units in the currency's own decimals and its code: {@code 1999 EUR} is {@code 19.99 EUR}. */
    static String money(Money money) {
        int digits = Math.max(Currency.getInstance(money.currency()).getDefaultFractionDigits(), 0);
        return BigDecimal.valueOf(money.amount(), digits).toPlainString() + " " + money.currency();
    }

    /** fulfilment's and cart-order's reason codes in a shopper's words; an unknown code is named as it is. */
    static String failure(String reasonCode) {
        return switch (reasonCode == null ? "" : reasonCode) {
            case "CARD_DECLINED" -> "your card was declined.";
            case "INSUFFICIENT_FUNDS" -> "the card has insufficient funds.";
            case "PROVIDER_UNAVAILABLE" -> "our payment provider could not be reached.";
            case "PAYMENT_TIMEOUT" -> "the payment was not completed in time.";
            case "" -> "the payment was refused.";
            default -> "the payment was refused (" + reasonCode + ").";
        };
    }

    static String cancellation(String reasonCode) {
        return switch (reasonCode == null ? "" : reasonCode) {
            case "CUSTOMER_REQUEST" -> "as you asked";
            case "" -> "by the shop";
            default -> "reason: " + reasonCode;
        };
    }
}
