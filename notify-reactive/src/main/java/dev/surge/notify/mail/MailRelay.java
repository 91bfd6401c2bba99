package dev.surge.notify.mail;

import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.reactive.TransactionalOperator;

import dev.surge.messaging.StreamLifecycle;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Sends the mail outbox. Each pass runs {@code concurrency} workers; a worker takes the oldest due
 * mail in a transaction of its own ({@code FOR UPDATE SKIP LOCKED}: two instances never send one mail
 * at the same time), sends it, and in the same transaction marks it sent, or counts the failure and
 * schedules the next try with backoff. SMTP is at least once: a crash or a failed mark after the
 * server accepted the message leaves the row as it was and the mail goes again, the same message
 * with the same {@code Message-ID}, never a new one. An unreachable server counts no refusal, so an
 * outage parks nothing; {@code max-attempts} refusals park the mail for ops ({@code /actuator/mails}).
 */
class MailRelay {

    private static final Logger log = LoggerFactory.getLogger(MailRelay.class);

    private final MailOutbox outbox;
    private final SmtpMailer mailer;
    private final TransactionalOperator transactions;
    private final MailNotificationProperties.Relay settings;
    private final MeterRegistry meters;

    MailRelay(MailOutbox outbox, SmtpMailer mailer, TransactionalOperator transactions,
            MailNotificationProperties.Relay settings, MeterRegistry meters) {
        this.outbox = outbox;
        this.mailer = mailer;
        this.transactions = transactions;
        this.settings = settings;
        this.meters = meters;
    }

    /** The relay loop: a pass per poll interval; a pass still running when the next is due makes that one skip. */
    Flux<Integer> run() {
        return Flux.interval(settings.pollInterval())
                .onBackpressureDrop()
                .concatMap(tick -> pass()
                        .onErrorResume(failure -> {
                            log.warn("Mail relay pass failed; the next one tries again: {}", failure.toString());
                            return Mono.just(0);
                        }), 1);
    }

    /** One pass: up to {@code batch-size} mails, {@code concurrency} at a time; emits how many were tried. */
    Mono<Integer> pass() {
        int perWorker = Math.max(1, settings.batchSize() / settings.concurrency());
        return Flux.range(0, settings.concurrency())
                .flatMap(worker -> drain(perWorker), settings.concurrency())
                .reduce(0, Integer::sum);
    }

    /** Sends due mails one after another until none is due or {@code left} were tried. */
    private Mono<Integer> drain(int left) {
        if (left == 0) {
            return Mono.just(0);
        }
        return sendOne()
                .flatMap(tried -> tried
                        ? drain(left - 1).map(more -> more + 1)
                        : Mono.just(0));
    }

    /**
     * Takes, sends and settles one mail in one transaction; emits whether there was one. A failure to
     * settle (the database, after the server may have accepted the mail) rolls back and ends this
     * worker's pass: the mail stays due and goes again, the same message.
     */
    Mono<Boolean> sendOne() {
        Mono<Boolean> once = outbox.claimDue()
                .flatMap(queued -> attempt(queued)
                        .flatMap(failure -> failure.isEmpty()
                                ? sent(queued)
                                : failed(queued, failure.get())))
                .defaultIfEmpty(false);
        return transactions.transactional(once)
                .onErrorResume(failure -> {
                    log.warn("A mail could not be settled after its send; it goes again: {}", failure.toString());
                    return Mono.just(false);
                });
    }

    /** The send; emits the failure, if any, as a value so that only the send's own errors are counted. */
    private Mono<Optional<Throwable>> attempt(MailOutbox.QueuedMail queued) {
        return mailer.send(queued.mail(), queued.queuedAt())
                .timeout(settings.sendTimeout())
                .then(Mono.just(Optional.<Throwable>empty()))
                .onErrorResume(failure -> Mono.just(Optional.of(failure)));
    }

    private Mono<Boolean> sent(MailOutbox.QueuedMail queued) {
        return outbox.markSent(queued.id())
                .doOnSuccess(done -> meters.counter("surge.mail.sent", "kind", queued.mail().kind().name()).increment())
                .thenReturn(true);
    }

    private Mono<Boolean> failed(MailOutbox.QueuedMail queued, Throwable failure) {
        boolean outage = SmtpMailer.outage(failure);
        meters.counter("surge.mail.send.failures", "outcome", outage ? "outage" : "refused").increment();
        return outbox.recordFailure(queued.id(), !outage, describe(failure), settings.backoff(queued.attempts() + 1),
                        settings.maxAttempts())
                .doOnNext(parked -> {
                    if (parked) {
                        meters.counter("surge.mail.parked").increment();
                        log.warn("Mail {} ({} of order {}) parked after {} refusals: {}", queued.mail().messageId(),
                                queued.mail().kind(), queued.mail().orderId(), settings.maxAttempts(), failure.toString());
                    }
                    else {
                        log.info("Mail {} not sent ({}), tried again later: {}", queued.mail().messageId(),
                                outage ? "server unreachable" : "refused", failure.toString());
                    }
                })
                .thenReturn(true);
    }

    /** The failure and its root cause, which is what ops need (a wrapper's message rarely says it). */
    private static String describe(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == failure ? failure.toString() : failure + "; caused by " + root;
    }

    /** Deletes sent mails past their retention, a chunk per statement, once per clean-up interval. */
    Flux<Long> cleanup() {
        Mono<Long> chunk = outbox.deleteSent(settings.retention(), 5_000);
        return Flux.interval(settings.cleanupInterval())
                .onBackpressureDrop()
                .concatMap(tick -> chunk
                        .expand(deleted -> deleted == 5_000 ? chunk : Mono.empty())
                        .reduce(0L, Long::sum)
                        .onErrorResume(failure -> {
                            log.warn("Mail clean-up failed; the next round tries again: {}", failure.toString());
                            return Mono.just(0L);
                        }), 1);
    }

    @Configuration(proxyBeanMethods = false)
    static class Streams {

        @Bean
        MailRelay mailRelay(MailOutbox outbox, SmtpMailer mailer, TransactionalOperator transactions,
                MailNotificationProperties properties, MeterRegistry meters) {
            return new MailRelay(outbox, mailer, transactions, properties.relay(), meters);
        }

        @Bean
        SmartInitializingSingleton mailRelayStreams(StreamLifecycle streams, MailRelay relay,
                MailNotificationProperties properties) {
            return () -> {
                if (properties.relay().enabled()) {
                    streams.register("mail relay", relay::run);
                }
                streams.register("mail clean-up", relay::cleanup);
            };
        }
    }
}
