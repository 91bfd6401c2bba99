package dev.surge.notify.mail;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/**
 * What the shopper's mails say and how the mail relay sends them. The SMTP server itself and its
 * connect, read and write timeouts are Boot's {@code spring.mail.*}.
 *
 * @param shopName        the shop's name, in every subject and greeting
 * @param from            the sender, an RFC 5322 address with an optional display name
 * @param orderUrl        the order page a mail links to; {@code {orderId}} is replaced by the order's id
 * @param messageIdDomain the right-hand side of every {@code Message-ID} ({@code <order.event@domain>})
 * @param relay           the relay's clocks and limits
 */
@Validated
@ConfigurationProperties("surge.mail")
public record MailNotificationProperties(
        @DefaultValue("Surge") @NotBlank String shopName,
        @DefaultValue("Surge <orders@surge.local>") @NotBlank String from,
        @DefaultValue("http://127.0.0.1:8080/orders/{orderId}") @Pattern(regexp = ".*\\{orderId}.*") String orderUrl,
        @DefaultValue("surge.local") @Pattern(regexp = "[A-Za-z0-9.-]+") String messageIdDomain,
        @DefaultValue @Valid @NotNull Relay relay) {

    /**
     * The mail relay.
     *
     * @param enabled         whether this instance sends mails (every instance may: rows are taken with
     *                        {@code SKIP LOCKED})
     * @param pollInterval    wait between two passes over the due mails
     * @param batchSize       most mails one pass sends
     * @param concurrency     mails sent side by side, each holding one database connection while it is sent
     * @param sendTimeout     longest one SMTP send may take; under the database's 30 s idle-in-transaction
     *                        limit, since the mail's row stays locked while it is sent
     * @param maxAttempts     refusals (the server answered no, or the message cannot be sent as written)
     *                        before a mail is parked for ops; an unreachable server counts none
     * @param initialBackoff  wait before the second try of a mail, doubled per try
     * @param maxBackoff      longest wait between two tries of a mail
     * @param retention       how long sent mails are kept (they guard against a second mail for the same event)
     * @param cleanupInterval how often sent mails past their retention are deleted
     */
    public record Relay(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("1s") @NotNull Duration pollInterval,
            @DefaultValue("20") @Min(1) @Max(500) int batchSize,
            @DefaultValue("2") @Min(1) @Max(16) int concurrency,
            @DefaultValue("20s") @NotNull Duration sendTimeout,
            @DefaultValue("5") @Min(1) @Max(100) int maxAttempts,
            @DefaultValue("1s") @NotNull Duration initialBackoff,
            @DefaultValue("5m") @NotNull Duration maxBackoff,
            @DefaultValue("30d") @NotNull Duration retention,
            @DefaultValue("1h") @NotNull Duration cleanupInterval) {

        public Relay {
            if (sendTimeout != null && sendTimeout.compareTo(Duration.ofSeconds(30)) >= 0) {
                throw new IllegalArgumentException("surge.mail.relay.send-timeout must stay under the database's 30 s "
                        + "idle-in-transaction limit: " + sendTimeout);
            }
        }

        /** The wait after the {@code attempts}-th try: doubled per try, at most {@link #maxBackoff}. */
        Duration backoff(int attempts) {
            int doublings = Math.min(Math.max(attempts - 1, 0), 30);
            Duration wait = initialBackoff.multipliedBy(1L << doublings);
            return wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait;
        }
    }
}
