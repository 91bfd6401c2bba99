package dev.surge.catalog.administration;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.surge.service.web.InvalidFields;
import dev.surge.service.web.InvalidFields.FieldError;

/**
 * A product as ops create or replace it. Every problem is reported at once, by field.
 *
 * @param sku stock keeping unit: 3–40 of A–Z, 0–9 and '-' (ignored on replace: the path names it)
 * @param name display name, 1–200 characters
 * @param description plain text, up to 5,000 characters
 * @param brand brand, up to 100 characters, may be absent
 * @param categoryId an existing category's id
 * @param price price in minor units (0 to 100,000,000) and an ISO 4217 currency
 * @param attributes free-form attributes (colour, size, ...), may be absent
 * @param active whether it is for sale; absent means true
 */
record ProductForm(String sku, String name, String description, String brand, String categoryId, Price price,
        Map<String, Object> attributes, Boolean active) {

    static final long MAX_PRICE = 100_000_000L;

    /**
     * A price as submitted.
     *
     * @param amount minor units
     * @param currency ISO 4217 code
     */
    record Price(Long amount, String currency) {
    }

    /** This form for the given SKU, or an {@link InvalidFields} naming every bad field. */
    ProductForm validated(String pathSku) {
        List<FieldError> errors = new ArrayList<>();
        String effectiveSku = pathSku != null ? pathSku : sku;
        if (effectiveSku == null || !effectiveSku.matches("[A-Z0-9-]{3,40}")) {
            errors.add(new FieldError("sku", "must be 3 to 40 characters of A-Z, 0-9 and -"));
        }
        if (name == null || name.isBlank() || name.length() > 200) {
            errors.add(new FieldError("name", "must be 1 to 200 characters"));
        }
        if (description != null && description.length() > 5000) {
            errors.add(new FieldError("description", "must be at most 5000 characters"));
        }
        if (brand != null && brand.length() > 100) {
            errors.add(new FieldError("brand", "must be at most 100 characters"));
        }
        if (categoryId == null || categoryId.isBlank()) {
            errors.add(new FieldError("categoryId", "is required"));
        }
        if (price == null) {
            errors.add(new FieldError("price", "is required"));
        }
        else {
            if (price.amount() == null || price.amount() < 0 || price.amount() > MAX_PRICE) {
                errors.add(new FieldError("price.amount", "must be whole minor units from 0 to " + MAX_PRICE));
            }
            if (price.currency() == null || !price.currency().matches("[A-Z]{3}")) {
                errors.add(new FieldError("price.currency", "must be an ISO 4217 code like EUR"));
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidFields(errors);
        }
        return new ProductForm(effectiveSku, name.strip(), description == null ? "" : description.strip(),
                brand == null || brand.isBlank() ? null : brand.strip(), categoryId.strip(), price,
                attributes == null ? Map.of() : attributes, active == null || active);
    }
}
