package dev.surge.catalog.product;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.surge.catalog.review.Review;

/**
 * Everything the product page shows, in one answer.
 *
 * @param sku stock keeping unit
 * @param name display name
 * @param description plain-text description
 * @param brand brand, may be null
 * @param categoryId the leaf category's id
 * @param categoryPath names from the department down to the leaf category
 * @param price current price
 * @param images images in display order, served by this service
 * @param attributes product attributes (colour, size, capacity, ...)
 * @param rating rating summary
 * @param availability stock display
 * @param reviews the newest reviews (the rest through {@code /reviews})
 * @param createdAt when the product was listed
 */
public record ProductDetails(String sku, String name, String description, String brand, String categoryId,
        List<String> categoryPath, Money price, List<Image> images, Map<String, Object> attributes, Rating rating,
        Availability availability, List<Review> reviews, Instant createdAt) {

    /**
     * One product image.
     *
     * @param url path served by this service
     * @param alt text alternative
     */
    public record Image(String url, String alt) {
    }
}
