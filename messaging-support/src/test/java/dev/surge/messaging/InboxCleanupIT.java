package dev.surge.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

class InboxCleanupIT {

    private static final Duration WEEK = Duration.ofDays(7);

    private static MessagingFixture fixture;

    @BeforeAll
    static void start() {
        fixture = new MessagingFixture(InboxCleanupIT.class);
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    @BeforeEach
    void emptyInbox() {
        StepVerifier.create(fixture.database.sql("DELETE FROM inbox").then()).verifyComplete();
    }

    @Test
    void idsPastTheRetentionGoInChunksAndYoungerOnesStay() {
        handled(10, "8 days");
        handled(3, "6 days");
        handled(2, "1 minute");

        StepVerifier.create(fixture.inbox.deleteExpired(WEEK, 3))
                .as("four statements of at most three rows")
                .expectNext(10L)
                .verifyComplete();
        assertThat(count("handled_at < now() - interval '7 days'")).isZero();
        assertThat(count("true")).isEqualTo(5);

        StepVerifier.create(fixture.inbox.deleteExpired(WEEK, 3)).expectNext(0L).verifyComplete();
    }

    @Test
    void theCleanupLoopRunsOncePerIntervalAndNotAtStart() {
        handled(4, "8 days");
        MessagingProperties.InboxCleanup everyMinute = new MessagingProperties.InboxCleanup(WEEK, 5000, Duration.ofMinutes(1));

        StepVerifier.withVirtualTime(() -> fixture.inbox.cleanup(everyMinute).take(2))
                .expectSubscription()
                .expectNoEvent(Duration.ofSeconds(59))
                .then(() -> assertThat(count("true")).as("nothing deleted before the first interval").isEqualTo(4))
                .thenAwait(Duration.ofSeconds(1))
                .expectNext(4L)
                .then(() -> handled(2, "9 days"))
                .thenAwait(Duration.ofMinutes(1))
                .expectNext(2L)
                .expectComplete()
                .verify(Duration.ofSeconds(30));
        assertThat(count("true")).isZero();
    }

    @Test
    void aFailedRoundIsLoggedAndTheLoopGoesOn() {
        Inbox broken = new Inbox(fixture.database, fixture.transactions) {
            private int rounds;

            @Override
            Mono<Long> deleteExpired(Duration retention, int chunk) {
                return rounds++ == 0 ? Mono.error(new IllegalStateException("database away")) : super.deleteExpired(retention, chunk);
            }
        };
        handled(1, "8 days");
        StepVerifier.withVirtualTime(() -> broken.cleanup(new MessagingProperties.InboxCleanup(WEEK, 5000, Duration.ofMinutes(1))).take(2))
                .expectSubscription()
                .thenAwait(Duration.ofMinutes(1))
                .expectNext(0L)
                .thenAwait(Duration.ofMinutes(1))
                .expectNext(1L)
                .expectComplete()
                .verify(Duration.ofSeconds(30));
    }

    private static void handled(int rows, String ago) {
        StepVerifier.create(fixture.database.sql("""
                                INSERT INTO inbox (consumer, event_id, handled_at)
                                SELECT 'test', gen_random_uuid(), now() - CAST(:ago AS interval) FROM generate_series(1, :rows)""")
                        .bind("ago", ago)
                        .bind("rows", rows)
                        .then())
                .verifyComplete();
    }

    private static long count(String condition) {
        return fixture.database.sql("SELECT count(*) AS n FROM inbox WHERE " + condition)
                .map(row -> row.get("n", Long.class))
                .one()
                .blockOptional(Duration.ofSeconds(5))
                .orElseThrow();
    }
}
