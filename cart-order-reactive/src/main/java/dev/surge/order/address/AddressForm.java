package dev.surge.order.address;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonProperty;

import dev.surge.service.web.InvalidFields;
import dev.surge.service.web.InvalidFields.FieldError;

/**
 * An address as the shopper submits it to save or replace one. Every problem is reported at once,
 * by field. There is deliberately no owner here: it is the token's subject. A field this form does
 * not know (a {@code userId}, an {@code id}, a misspelt {@code line_2}) is refused rather than
 * dropped, so a typo cannot silently lose part of an address a parcel is sent to.
 *
 * @param label the shopper's name for it, up to 50 characters, may be absent
 * @param recipientName who the parcel is for, 1–100 characters
 * @param line1 street and number, 1–100 characters
 * @param line2 flat, floor, c/o, up to 100 characters, may be absent
 * @param city 1–100 characters
 * @param region state, county or province, up to 100 characters, may be absent
 * @param postalCode 2–10 letters, digits, spaces or hyphens
 * @param countryCode an ISO 3166-1 alpha-2 code in upper case ({@code DE})
 * @param phone optional {@code +}, then 6–20 digits, spaces, dashes or brackets; may be absent
 * @param makeDefault {@code "default"} in JSON: true makes this the default address; false or
 *        absent leaves the default where it is (the first address is the default regardless)
 * @param unknown every other field of the request body, each one an error
 */
record AddressForm(String label, String recipientName, String line1, String line2, String city, String region,
        String postalCode, String countryCode, String phone, @JsonProperty("default") Boolean makeDefault,
        @JsonAnySetter Map<String, Object> unknown) {

    static final int MAX_LABEL = 50;
    static final int MAX_TEXT = 100;

    private static final Set<String> COUNTRIES = Locale.getISOCountries(Locale.IsoCountryCode.PART1_ALPHA2);
    private static final Pattern POSTAL_CODE = Pattern.compile("(?=.*[A-Za-z0-9])[A-Za-z0-9 -]{2,10}");
    private static final Pattern PHONE = Pattern.compile("\\+?[0-9 ()-]{6,20}");
    private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");

    /** This form stripped, blanks as absent, or an {@link InvalidFields} naming every bad field. */
    AddressForm validated() {
        List<FieldError> errors = new ArrayList<>();
        AddressForm form = new AddressForm(
                text("label", label, false, MAX_LABEL, errors),
                text("recipientName", recipientName, true, MAX_TEXT, errors),
                text("line1", line1, true, MAX_TEXT, errors),
                text("line2", line2, false, MAX_TEXT, errors),
                text("city", city, true, MAX_TEXT, errors),
                text("region", region, false, MAX_TEXT, errors),
                postalCode(errors),
                countryCode(errors),
                phone(errors),
                Boolean.TRUE.equals(makeDefault),
                Map.of());
        unknownFields(errors);
        if (!errors.isEmpty()) {
            throw new InvalidFields(errors);
        }
        return form;
    }

    private String postalCode(List<FieldError> errors) {
        String value = strippedOrNull(postalCode);
        if (value == null) {
            errors.add(new FieldError("postalCode", "is required"));
        }
        else if (!POSTAL_CODE.matcher(value).matches()) {
            errors.add(new FieldError("postalCode", "must be 2 to 10 letters, digits, spaces or hyphens"));
        }
        return value;
    }

    private String countryCode(List<FieldError> errors) {
        String value = strippedOrNull(countryCode);
        if (value == null) {
            errors.add(new FieldError("countryCode", "is required"));
        }
        else if (!COUNTRIES.contains(value)) {
            errors.add(new FieldError("countryCode", "must be an ISO 3166-1 alpha-2 country code like DE"));
        }
        return value;
    }

    private String phone(List<FieldError> errors) {
        String value = strippedOrNull(phone);
        if (value != null && !PHONE.matcher(value).matches()) {
            errors.add(new FieldError("phone",
                    "must be 6 to 20 digits, spaces, dashes or brackets, optionally after +"));
        }
        return value;
    }

    private void unknownFields(List<FieldError> errors) {
        if (unknown == null) {
            return;
        }
        for (String field : new TreeSet<>(unknown.keySet())) {
            errors.add(new FieldError(field, field.equals("userId")
                    ? "is not accepted: an address always belongs to the signed-in shopper"
                    : "is not a field of an address"));
        }
    }

    private static String text(String field, String value, boolean required, int max, List<FieldError> errors) {
        String stripped = strippedOrNull(value);
        if (stripped == null) {
            if (required) {
                errors.add(new FieldError(field, "is required"));
            }
        }
        else if (stripped.codePointCount(0, stripped.length()) > max) {
            errors.add(new FieldError(field, "must be at most " + max + " characters"));
        }
        else if (CONTROL.matcher(stripped).find()) {
            errors.add(new FieldError(field, "must be a single line without control characters"));
        }
        return stripped;
    }

    private static String strippedOrNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
