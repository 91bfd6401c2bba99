package dev.surge.messaging;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.transaction.NoTransactionException;
import org.springframework.transaction.reactive.TransactionSynchronization;
import org.springframework.transaction.reactive.TransactionSynchronizationManager;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Tells this instance's {@link OutboxRelay} that outbox rows were committed, so it publishes them
 * within a few milliseconds instead of at its next poll. Rows written by another instance (or by a
 * signal that was lost) still go out at the poll: the signal only shortens the wait, the poll stays
 * the guarantee.
 *
 * <p>A count, not a queue: the relay remembers the count when it starts a batch and, when the batch
 * was not full, waits in short ticks until the count moved or the poll interval ran out. Commits
 * during a batch thus wake the next one, never lost between two checks, and many commits in one
 * tick make one batch.
 */
class OutboxSignal {

    private final AtomicLong commits = new AtomicLong();

    /** The count the relay compares against. */
    long seen() {
        return commits.get();
    }

    /** Counts a commit now: for a write that has committed already (a statement outside a transaction). */
    void committed() {
        commits.incrementAndGet();
    }

    /**
     * Counts a commit when the caller's transaction commits, or now when there is none (the statement
     * committed by itself). A rolled-back transaction signals nothing.
     */
    Mono<Void> afterCommit() {
        return TransactionSynchronizationManager.forCurrentTransaction()
                .doOnNext(transaction -> {
                    if (transaction.isSynchronizationActive()) {
                        transaction.registerSynchronization(new TransactionSynchronization() {
                            @Override
                            public Mono<Void> afterCommit() {
                                return Mono.fromRunnable(OutboxSignal.this::committed);
                            }
                        });
                    } else {
                        committed();
                    }
                })
                .onErrorResume(NoTransactionException.class, none -> Mono.fromRunnable(this::committed))
                .then();
    }

    /**
     * Completes when the count moved past {@code seen}, checked every {@code tick}, or after
     * {@code poll} at the latest.
     */
    Mono<Void> await(long seen, Duration tick, Duration poll) {
        long ticks = Math.max(1, poll.toNanos() / Math.max(1, tick.toNanos()));
        return Flux.interval(tick)
                .takeUntil(n -> commits.get() != seen || n + 1 >= ticks)
                .then();
    }
}
