package dev.surge.catalog.review;

import java.time.Instant;
import java.util.UUID;

/**
 * A shopper's review of a product.
 *
 * @param id review id
 * @param rating 1 (worst) to 5 (best)
 * @param title headline
 * @param body text
 * @param author display name of the reviewer
 * @param createdAt when it was written
 */
public record Review(UUID id, int rating, String title, String body, String author, Instant createdAt) {
}
