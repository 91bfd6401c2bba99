package dev.surge.order.user;

import java.time.Instant;

/**
 * A shopper's profile.
 *
 * @param userId the identity provider's subject for this shopper
 * @param email e-mail address from the token at first login
 * @param name display name
 * @param phone phone number, may be absent
 * @param preferences shop preferences
 * @param createdAt when the profile was created (first login)
 * @param updatedAt when it last changed
 */
public record UserProfile(String userId, String email, String name, String phone, Preferences preferences,
        Instant createdAt, Instant updatedAt) {

    /**
     * What the shopper chose.
     *
     * @param marketingEmails whether the shop may send offers by e-mail (off unless chosen)
     * @param language ISO 639-1 code for e-mails and the shop, e.g. {@code en}
     */
    public record Preferences(boolean marketingEmails, String language) {

        static final Preferences DEFAULT = new Preferences(false, "en");
    }
}
