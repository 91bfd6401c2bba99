package dev.surge.order.user;

import java.util.ArrayList;
import java.util.List;

import dev.surge.service.web.InvalidFields;
import dev.surge.service.web.InvalidFields.FieldError;

/**
 * A PATCH of the profile: absent fields stay as they are. There is deliberately no user id or
 * e-mail here: the id is the token's subject and the e-mail comes from the identity provider.
 *
 * @param name display name, 1–100 characters
 * @param phone phone number: an optional leading +, then 6–20 digits, spaces, dashes or brackets;
 *        an empty string removes it
 * @param preferences new preferences, replacing the old ones
 */
record ProfileChanges(String name, String phone, PreferencesChange preferences) {

    /**
     * Preferences as submitted.
     *
     * @param marketingEmails whether offers may be e-mailed
     * @param language ISO 639-1 code, two lower-case letters
     */
    record PreferencesChange(Boolean marketingEmails, String language) {
    }

    /** Every invalid field at once, or nothing. */
    ProfileChanges validated() {
        List<FieldError> errors = new ArrayList<>();
        if (name != null && (name.isBlank() || name.strip().length() > 100)) {
            errors.add(new FieldError("name", "must be 1 to 100 characters"));
        }
        if (phone != null && !phone.isEmpty() && !phone.matches("\\+?[0-9 ()-]{6,20}")) {
            errors.add(new FieldError("phone", "must be 6 to 20 digits, spaces, dashes or brackets, optionally after +"));
        }
        if (preferences != null) {
            if (preferences.marketingEmails() == null) {
                errors.add(new FieldError("preferences.marketingEmails", "is required with preferences"));
            }
            if (preferences.language() == null || !preferences.language().matches("[a-z]{2}")) {
                errors.add(new FieldError("preferences.language", "must be an ISO 639-1 code like en"));
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidFields(errors);
        }
        return this;
    }
}
