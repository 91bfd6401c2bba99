package dev.surge.catalog.product;

/**
 * A product as lists and search results show it.
 *
 * @param sku stock keeping unit, the product's id
 * @param name display name
 * @param brand brand, may be null
 * @param categoryId the leaf category's id
 * @param price current price
 * @param image path of the first image, served by this service
 * @param rating rating summary
 * @param availability stock display
 */
public record ProductSummary(String sku, String name, String brand, String categoryId, Money price, String image,
        Rating rating, Availability availability) {
}
