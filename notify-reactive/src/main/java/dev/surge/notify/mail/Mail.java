package dev.surge.notify.mail;

import java.util.Objects;
import java.util.UUID;

/**
 * One rendered mail about one event of one order. Its {@code Message-ID} is derived from
 * (order, event), so every send of it, the first and any resend, is the same message.
 *
 * @param orderId   the order it is about
 * @param eventId   the event that caused it
 * @param kind      what it says
 * @param recipient the shopper's address as the order carried it
 * @param subject   the subject line
 * @param text      the plain-text part
 * @param html      the HTML part
 * @param messageId the {@code Message-ID} header, angle brackets included
 */
public record Mail(UUID orderId, UUID eventId, MailKind kind, String recipient, String subject, String text, String html,
        String messageId) {

    public Mail {
        Objects.requireNonNull(orderId, "orderId");
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(html, "html");
        Objects.requireNonNull(messageId, "messageId");
    }

    /** {@code <order.event@domain>}: stable for (order, event), unique across them. */
    static String messageId(UUID orderId, UUID eventId, String domain) {
        return "<" + orderId + "." + eventId + "@" + domain + ">";
    }
}
