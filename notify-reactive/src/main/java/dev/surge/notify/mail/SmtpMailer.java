package dev.surge.notify.mail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Date;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.concurrent.TimeoutException;

import org.springframework.mail.MailAuthenticationException;
import org.springframework.mail.MailPreparationException;
import org.springframework.mail.MailSendException;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.MimeMessageHelper;
import org.springframework.stereotype.Component;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The SMTP adapter: Jakarta Mail through Spring's {@link JavaMailSender}, which blocks on its
 * socket, so it runs on {@code boundedElastic} only, wrapped here once. Connect, read and write
 * timeouts are {@code spring.mail.properties.mail.smtp.*} (application.yml). The message carries the
 * mail's own {@code Message-ID} (Spring keeps a set one through {@code saveChanges}) and the time
 * it was queued as its {@code Date}, so a resend is the same message, which a receiving server or
 * client can recognise as a duplicate.
 */
@Component
class SmtpMailer {

    private final JavaMailSender sender;
    private final MailNotificationProperties properties;

    SmtpMailer(JavaMailSender sender, MailNotificationProperties properties) {
        this.sender = sender;
        this.properties = properties;
    }

    /** Completes when the server accepted the message. */
    Mono<Void> send(Mail mail, Instant queuedAt) {
        return Mono.fromRunnable(() -> sendNow(mail, queuedAt))
                .subscribeOn(Schedulers.boundedElastic())
                .then();
    }

    private void sendNow(Mail mail, Instant queuedAt) {
        MimeMessage message = sender.createMimeMessage();
        try {
            MimeMessageHelper helper = new MimeMessageHelper(message, MimeMessageHelper.MULTIPART_MODE_MIXED_RELATED,
                    StandardCharsets.UTF_8.name());
            helper.setFrom(new InternetAddress(properties.from(), true));
            helper.setTo(new InternetAddress(mail.recipient(), true));
            helper.setSubject(mail.subject());
            helper.setText(mail.text(), mail.html());
            helper.setSentDate(Date.from(queuedAt));
            message.setHeader("Message-ID", mail.messageId());
        }
        catch (MessagingException unsendable) {
            throw new MailPreparationException("mail " + mail.messageId() + " cannot be written as a message", unsendable);
        }
        sender.send(message);
    }

    /**
     * Whether a failed send means the server is away (or not usable by us at all) rather than that it
     * refused this message: an I/O failure, a timeout, a connection or sign-in failure. Such a
     * failure hits every mail alike, so it never counts towards parking one.
     */
    static boolean outage(Throwable failure) {
        Deque<Throwable> todo = new ArrayDeque<>();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        todo.push(failure);
        while (!todo.isEmpty()) {
            Throwable next = todo.pop();
            if (!seen.add(next)) {
                continue;
            }
            if (next instanceof IOException || next instanceof TimeoutException
                    || next instanceof MailAuthenticationException || next instanceof AuthenticationFailedException
                    || next.getClass().getSimpleName().equals("MailConnectException")) {
                return true;
            }
            if (next instanceof MailSendException send) {
                for (Exception each : send.getMessageExceptions()) {
                    todo.push(each);
                }
            }
            if (next.getCause() != null) {
                todo.push(next.getCause());
            }
        }
        return false;
    }
}
