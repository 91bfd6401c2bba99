package dev.surge.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.server.WebSession;
import org.springframework.web.server.session.InMemoryWebSessionStore;

import dev.surge.service.security.ProblemResponses;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** The absolute lifetime alone, on a clock the test moves by hand. */
class EndOldSessionsTests {

    private static final Instant SIGNED_IN = Instant.parse("2026-12-01T08:00:00Z");

    private final HandMovedClock clock = new HandMovedClock(SIGNED_IN);
    private final EndOldSessions filter = new EndOldSessions("SURGE_SESSION", Duration.ofHours(12), clock,
            ProblemResponses.unauthorized(EndOldSessions.DETAIL));
    private final InMemoryWebSessionStore sessions = new InMemoryWebSessionStore();
    private final AtomicBoolean passedOn = new AtomicBoolean();
    private final WebFilterChain chain = exchange -> Mono.fromRunnable(() -> passedOn.set(true));

    @Test
    void aSessionWithinItsLifetimePassesHoweverLongItHasBeenActive() {
        WebSession session = signedInSession();
        clock.set(SIGNED_IN.plus(Duration.ofHours(12)).minusSeconds(1));
        MockServerWebExchange exchange = exchange(session);

        StepVerifier.create(filter.filter(exchange, chain)).expectComplete().verify(Duration.ofSeconds(5));

        assertThat(passedOn).isTrue();
        assertThat(session.isExpired()).isFalse();
    }

    @Test
    void aSessionPastItsLifetimeIsEndedWithA401Problem() {
        WebSession session = signedInSession();
        clock.set(SIGNED_IN.plus(Duration.ofHours(12)));
        MockServerWebExchange exchange = exchange(session);

        StepVerifier.create(filter.filter(exchange, chain)).expectComplete().verify(Duration.ofSeconds(5));

        assertThat(passedOn).as("never reaches the route").isFalse();
        assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
        StepVerifier.create(exchange.getResponse().getBodyAsString())
                .assertNext(body -> assertThat(body).contains("https://surge.dev/problems/unauthorized", "sign in again"))
                .expectComplete()
                .verify(Duration.ofSeconds(5));
        StepVerifier.create(sessions.retrieveSession(session.getId())).as("deleted from the store")
                .expectComplete()
                .verify(Duration.ofSeconds(5));
    }

    @Test
    void signingInAgainWithASessionPastItsLifetimeStartsAfresh() {
        WebSession session = signedInSession();
        clock.set(SIGNED_IN.plus(Duration.ofHours(13)));
        MockServerWebExchange exchange = MockServerWebExchange.builder(MockServerHttpRequest.get("/oauth2/authorization/surge")
                        .cookie(new org.springframework.http.HttpCookie("SURGE_SESSION", session.getId())))
                .session(session)
                .build();

        StepVerifier.create(filter.filter(exchange, chain)).expectComplete().verify(Duration.ofSeconds(5));

        assertThat(passedOn).isFalse();
        assertThat(exchange.getResponse().getStatusCode()).as("the same address again, in a new session")
                .isEqualTo(HttpStatus.FOUND);
        assertThat(exchange.getResponse().getHeaders().getLocation()).hasToString("/oauth2/authorization/surge");
        StepVerifier.create(sessions.retrieveSession(session.getId())).expectComplete().verify(Duration.ofSeconds(5));
    }

    @Test
    void aSessionThatHasOnlyStartedSigningInAndARequestWithoutCookieAreLeftAlone() {
        WebSession pending = sessions.createWebSession().block();
        pending.start();
        clock.set(SIGNED_IN.plus(Duration.ofDays(2)));

        StepVerifier.create(filter.filter(exchange(pending), chain)).expectComplete().verify(Duration.ofSeconds(5));
        assertThat(passedOn).isTrue();

        passedOn.set(false);
        MockServerWebExchange anonymous = MockServerWebExchange.from(MockServerHttpRequest.get("/api/session"));
        StepVerifier.create(filter.filter(anonymous, chain)).expectComplete().verify(Duration.ofSeconds(5));
        assertThat(passedOn).isTrue();
    }

    private WebSession signedInSession() {
        WebSession session = sessions.createWebSession().block();
        session.getAttributes().put(EndOldSessions.SIGNED_IN_AT, SIGNED_IN.toString());
        session.save().block();
        return session;
    }

    private static MockServerWebExchange exchange(WebSession session) {
        return MockServerWebExchange.builder(MockServerHttpRequest.get("/api/users/me").cookie(
                        new org.springframework.http.HttpCookie("SURGE_SESSION", session.getId())))
                .session(session)
                .build();
    }

    private static final class HandMovedClock extends Clock {

        private volatile Instant now;

        HandMovedClock(Instant now) {
            this.now = now;
        }

        void set(Instant instant) {
            now = instant;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
