package dev.surge.service.health;

import org.springframework.boot.health.contributor.Status;

/**
 * The health of a dependency an instance can serve without, while it is away: the instance is
 * slower or does less (no cache, events wait in the outbox), but it answers. Ranked between DOWN
 * and UP and answered with HTTP 200, so it never takes an instance out of rotation.
 */
public final class DegradedStatus {

    /** The status; its code {@code DEGRADED} is what the health endpoints show. */
    public static final Status DEGRADED = new Status("DEGRADED");

    private DegradedStatus() {
    }
}
