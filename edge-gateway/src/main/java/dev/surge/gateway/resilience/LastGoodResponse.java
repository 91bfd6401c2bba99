package dev.surge.gateway.resilience;

import java.time.Instant;

/**
 * A good answer the gateway relayed, kept to serve while the service is away.
 *
 * @param contentType the answer's {@code Content-Type}
 * @param storedAt when the gateway relayed it; a stale answer's {@code Age} counts from here
 * @param body the body exactly as the service sent it
 */
record LastGoodResponse(String contentType, Instant storedAt, byte[] body) {
}
