package dev.surge.catalog.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;

class LocalCopiesTests {

    private static final CachedJson OLD = CachedJson.of("{\"price\":100}".getBytes(StandardCharsets.UTF_8));
    private static final CachedJson NEW = CachedJson.of("{\"price\":90}".getBytes(StandardCharsets.UTF_8));

    @Test
    void aCopyIsServedUntilItHasLivedItsTime() throws InterruptedException {
        LocalCopies copies = new LocalCopies(Duration.ofMillis(200), 10, 1 << 20);
        copies.keep("details:P-1", OLD, copies.generation());

        assertThat(copies.get("details:P-1")).isSameAs(OLD);
        assertThat(copies.get("details:P-2")).isNull();
        Thread.sleep(250);
        assertThat(copies.get("details:P-1")).isNull();
        assertThat(copies.size()).isZero();
    }

    @Test
    void anEvictionDropsEveryCopy() {
        LocalCopies copies = new LocalCopies(Duration.ofMinutes(1), 10, 1 << 20);
        copies.keep("details:P-1", OLD, copies.generation());
        copies.keep("list:all:0:20", OLD, copies.generation());

        copies.evicted();

        assertThat(copies.get("details:P-1")).isNull();
        assertThat(copies.get("list:all:0:20")).isNull();
        copies.keep("details:P-1", NEW, copies.generation());
        assertThat(copies.get("details:P-1")).isSameAs(NEW);
    }

    @Test
    void whatARedisReadFromBeforeAnEvictionAnsweredIsNotKept() {
        LocalCopies copies = new LocalCopies(Duration.ofMinutes(1), 10, 1 << 20);
        LocalCopies.Generation readBegan = copies.generation();
        // the eviction lands while the read of the old bytes is on its way back
        copies.evicted();

        copies.keep("details:P-1", OLD, readBegan);

        assertThat(copies.get("details:P-1")).isNull();
    }

    @Test
    void noMoreThanTheLimitAreKeptAndExpiredOnesMakeRoom() throws InterruptedException {
        LocalCopies copies = new LocalCopies(Duration.ofMillis(200), 2, 1 << 20);
        copies.keep("a", OLD, copies.generation());
        copies.keep("b", OLD, copies.generation());
        copies.keep("c", OLD, copies.generation());
        assertThat(copies.get("c")).isNull();
        copies.keep("a", NEW, copies.generation());
        assertThat(copies.get("a")).isSameAs(NEW);

        Thread.sleep(250);
        copies.keep("c", NEW, copies.generation());
        assertThat(copies.get("c")).isSameAs(NEW);
        assertThat(copies.size()).isEqualTo(1);
    }

    @Test
    void noMoreBytesThanTheBudgetAreKept() {
        int size = OLD.bytes().length;
        LocalCopies copies = new LocalCopies(Duration.ofMinutes(1), 100, 2L * size);
        copies.keep("a", OLD, copies.generation());
        copies.keep("b", OLD, copies.generation());
        copies.keep("c", OLD, copies.generation());

        assertThat(copies.get("c")).isNull();
        assertThat(copies.size()).isEqualTo(2);
        assertThat(copies.bytes()).isEqualTo(2L * size);
        // a copy replaced counts once
        copies.keep("a", OLD, copies.generation());
        assertThat(copies.bytes()).isEqualTo(2L * size);
        copies.evicted();
        assertThat(copies.bytes()).isZero();
        // an entry larger than the whole budget is never copied
        LocalCopies small = new LocalCopies(Duration.ofMinutes(1), 100, size - 1);
        small.keep("a", OLD, small.generation());
        assertThat(small.get("a")).isNull();
        assertThat(small.bytes()).isZero();
    }

    @Test
    void anExpiredCopyGivesItsBytesBack() throws InterruptedException {
        LocalCopies copies = new LocalCopies(Duration.ofMillis(100), 10, 1 << 20);
        copies.keep("a", OLD, copies.generation());
        Thread.sleep(150);

        assertThat(copies.get("a")).isNull();
        assertThat(copies.bytes()).isZero();
    }

    @Test
    void aZeroLifetimeKeepsNothing() {
        LocalCopies copies = new LocalCopies(Duration.ZERO, 10, 1 << 20);
        copies.keep("details:P-1", OLD, copies.generation());
        assertThat(copies.enabled()).isFalse();
        assertThat(copies.get("details:P-1")).isNull();
    }
}
