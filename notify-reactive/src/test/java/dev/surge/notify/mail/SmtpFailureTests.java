package dev.surge.notify.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Test;
import org.springframework.mail.MailAuthenticationException;
import org.springframework.mail.MailPreparationException;
import org.springframework.mail.MailSendException;

import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.internet.AddressException;

/** Which failures are an outage (never counted towards parking) and which a refusal of the one mail. */
class SmtpFailureTests {

    @Test
    void anUnreachableOrSilentServerIsAnOutage() {
        assertThat(SmtpMailer.outage(new MailSendException("Mail server connection failed",
                new MessagingException("connect", new ConnectException("Connection refused"))))).isTrue();
        assertThat(SmtpMailer.outage(new MailSendException(Map.of(new Object(),
                new MessagingException("read", new SocketTimeoutException("Read timed out")))))).isTrue();
        assertThat(SmtpMailer.outage(new TimeoutException("send-timeout"))).isTrue();
        assertThat(SmtpMailer.outage(new MailAuthenticationException("535 bad credentials"))).isTrue();
    }

    @Test
    void aServerThatSaysNoOrAMailThatCannotBeWrittenIsARefusal() {
        assertThat(SmtpMailer.outage(new MailSendException(Map.of(new Object(), new SendFailedException("550 mailbox unavailable")))))
                .isFalse();
        assertThat(SmtpMailer.outage(new MailPreparationException("bad", new AddressException("Missing final '@domain'"))))
                .isFalse();
    }
}
