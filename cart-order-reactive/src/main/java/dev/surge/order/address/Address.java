package dev.surge.order.address;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A saved shipping address as the shopper sees it. The owner is not part of it: it is always the
 * caller.
 *
 * @param id the address's id
 * @param label the shopper's name for it ("Home", "Work"), may be absent
 * @param recipientName who the parcel is for
 * @param line1 street and number
 * @param line2 flat, floor, c/o, may be absent
 * @param city city or town
 * @param region state, county or province, may be absent
 * @param postalCode postal code as entered
 * @param countryCode ISO 3166-1 alpha-2 code, upper case
 * @param phone a phone number for the carrier, may be absent
 * @param isDefault whether checkout suggests this one; exactly one of a shopper's addresses is
 *        ({@code "default"} in JSON)
 * @param createdAt when it was saved
 * @param updatedAt when it last changed, its default flag included
 */
record Address(UUID id, String label, String recipientName, String line1, String line2, String city, String region,
        String postalCode, String countryCode, String phone, @JsonProperty("default") boolean isDefault,
        Instant createdAt, Instant updatedAt) {
}
