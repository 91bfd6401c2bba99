package dev.surge.gateway.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

class RecentWritesTests {

    private Instant now = Instant.parse("2026-01-01T00:00:00Z");

    private final RecentWrites writes = new RecentWrites(Duration.ofSeconds(15), new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    });

    @Test
    void writesAPathOncePerRefreshInterval() {
        assertThat(writes.claim("a")).isTrue();
        assertThat(writes.claim("a")).isFalse();
        assertThat(writes.claim("b")).isTrue();

        now = now.plusSeconds(14);
        assertThat(writes.claim("a")).isFalse();
        now = now.plusSeconds(1);
        assertThat(writes.claim("a")).isTrue();
    }
}
