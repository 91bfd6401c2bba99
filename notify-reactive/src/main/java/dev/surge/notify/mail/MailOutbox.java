package dev.surge.notify.mail;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

import io.r2dbc.spi.Readable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The mail outbox ({@code mail_outbox}): mails are appended in the transaction of the event that
 * caused them and sent by {@link MailRelay}. {@code (order_id, event_id)} is unique, so an event
 * that somehow gets past the inbox twice still queues one mail.
 */
@Component
public class MailOutbox {

    private static final int ERROR_LENGTH = 500;

    private final DatabaseClient database;

    MailOutbox(DatabaseClient database) {
        this.database = database;
    }

    /** Queues a mail inside the caller's transaction; emits whether it was new. */
    public Mono<Boolean> append(Mail mail) {
        return database.sql("""
                        INSERT INTO mail_outbox (order_id, event_id, kind, recipient, subject, text_body, html_body, message_id)
                        VALUES (:orderId, :eventId, :kind, :recipient, :subject, :text, :html, :messageId)
                        ON CONFLICT DO NOTHING""")
                .bind("orderId", mail.orderId())
                .bind("eventId", mail.eventId())
                .bind("kind", mail.kind().name())
                .bind("recipient", mail.recipient())
                .bind("subject", mail.subject())
                .bind("text", mail.text())
                .bind("html", mail.html())
                .bind("messageId", mail.messageId())
                .fetch()
                .rowsUpdated()
                .map(inserted -> inserted == 1);
    }

    /** A queued mail as the relay takes it. */
    record QueuedMail(long id, int attempts, int refusals, Instant queuedAt, Mail mail) {
    }

    /**
     * The oldest due mail, locked until the caller's transaction ends; {@code SKIP LOCKED}, so a
     * mail another instance is sending is passed over, never sent twice at once.
     */
    Mono<QueuedMail> claimDue() {
        return database.sql("""
                        SELECT id, order_id, event_id, kind, recipient, subject, text_body, html_body, message_id,
                               attempts, refusals, created_at
                        FROM mail_outbox
                        WHERE sent_at IS NULL AND parked_at IS NULL AND next_attempt_at <= now()
                        ORDER BY next_attempt_at, id
                        LIMIT 1
                        FOR UPDATE SKIP LOCKED""")
                .map(MailOutbox::queued)
                .first();
    }

    Mono<Void> markSent(long id) {
        return database.sql("UPDATE mail_outbox SET sent_at = now(), last_error = NULL WHERE id = :id")
                .bind("id", id)
                .fetch()
                .rowsUpdated()
                .then();
    }

    /**
     * Counts a failed try and schedules the next one after {@code backoff}; a refusal also counts
     * towards parking, and the {@code maxRefusals}-th parks the mail. Emits whether it parked it.
     */
    Mono<Boolean> recordFailure(long id, boolean refused, String error, Duration backoff, int maxRefusals) {
        return database.sql("""
                        UPDATE mail_outbox
                        SET attempts = attempts + 1,
                            refusals = refusals + :refused,
                            last_error = :error,
                            next_attempt_at = now() + make_interval(secs => :delay),
                            parked_at = CASE WHEN refusals + :refused >= :maxRefusals THEN now() END
                        WHERE id = :id
                        RETURNING parked_at IS NOT NULL AS parked""")
                .bind("id", id)
                .bind("refused", refused ? 1 : 0)
                .bind("error", error.length() > ERROR_LENGTH ? error.substring(0, ERROR_LENGTH) : error)
                .bind("delay", backoff.toMillis() / 1000.0)
                .bind("maxRefusals", maxRefusals)
                .map(row -> Boolean.TRUE.equals(row.get("parked", Boolean.class)))
                .one();
    }

    /** Mails not yet sent: {@code pending} still tried, {@code parked} waiting for ops. */
    record Backlog(long pending, long parked) {
    }

    Mono<Backlog> backlog() {
        return database.sql("""
                        SELECT count(*) FILTER (WHERE parked_at IS NULL) AS pending,
                               count(*) FILTER (WHERE parked_at IS NOT NULL) AS parked
                        FROM mail_outbox WHERE sent_at IS NULL""")
                .map(row -> new Backlog(row.get("pending", Long.class), row.get("parked", Long.class)))
                .one();
    }

    /** A parked mail as ops see it; the bodies are left out. */
    record ParkedMail(long id, UUID orderId, UUID eventId, String kind, String recipient, String messageId, int attempts,
            int refusals, String lastError, OffsetDateTime createdAt, OffsetDateTime parkedAt) {
    }

    Flux<ParkedMail> parked(int limit) {
        return database.sql("""
                        SELECT id, order_id, event_id, kind, recipient, message_id, attempts, refusals, last_error,
                               created_at, parked_at
                        FROM mail_outbox WHERE parked_at IS NOT NULL AND sent_at IS NULL
                        ORDER BY parked_at, id LIMIT :limit""")
                .bind("limit", limit)
                .map(row -> new ParkedMail(row.get("id", Long.class), row.get("order_id", UUID.class),
                        row.get("event_id", UUID.class), row.get("kind", String.class), row.get("recipient", String.class),
                        row.get("message_id", String.class), row.get("attempts", Integer.class),
                        row.get("refusals", Integer.class), row.get("last_error", String.class),
                        row.get("created_at", OffsetDateTime.class), row.get("parked_at", OffsetDateTime.class)))
                .all();
    }

    /** Takes one parked mail back into the queue, its counts cleared; emits whether it was parked. */
    Mono<Boolean> redrive(long id) {
        return database.sql(REDRIVE + " AND id = :id")
                .bind("id", id)
                .fetch()
                .rowsUpdated()
                .map(updated -> updated == 1);
    }

    /** Takes every parked mail back into the queue; emits how many. */
    Mono<Long> redriveAll() {
        return database.sql(REDRIVE)
                .fetch()
                .rowsUpdated();
    }

    private static final String REDRIVE = """
            UPDATE mail_outbox SET parked_at = NULL, attempts = 0, refusals = 0, next_attempt_at = now()
            WHERE parked_at IS NOT NULL AND sent_at IS NULL""";

    /** Deletes up to {@code chunk} mails sent longer ago than {@code retention}; emits how many went. */
    Mono<Long> deleteSent(Duration retention, int chunk) {
        return database.sql("""
                        DELETE FROM mail_outbox WHERE id IN (
                            SELECT id FROM mail_outbox
                            WHERE sent_at < now() - make_interval(secs => :seconds)
                            ORDER BY sent_at LIMIT :chunk
                            FOR UPDATE SKIP LOCKED)""")
                .bind("seconds", (double) retention.toSeconds())
                .bind("chunk", chunk)
                .fetch()
                .rowsUpdated();
    }

    private static QueuedMail queued(Readable row) {
        Mail mail = new Mail(row.get("order_id", UUID.class), row.get("event_id", UUID.class),
                MailKind.valueOf(row.get("kind", String.class)), row.get("recipient", String.class),
                row.get("subject", String.class), row.get("text_body", String.class), row.get("html_body", String.class),
                row.get("message_id", String.class));
        return new QueuedMail(row.get("id", Long.class), row.get("attempts", Integer.class),
                row.get("refusals", Integer.class), row.get("created_at", OffsetDateTime.class).toInstant(), mail);
    }
}
