package dev.surge.service.web;

import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Ids in paths, parameters and bodies: a UUID in its canonical form only ({@link UUID#fromString}
 * also takes oddities such as {@code 1-2-3-4-5}, which would name the same row in several ways).
 */
public final class CanonicalUuid {

    private static final Pattern CANONICAL =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private CanonicalUuid() {
    }

    /** The UUID, or empty when {@code value} is none in canonical form. */
    public static Optional<UUID> parse(String value) {
        return value != null && CANONICAL.matcher(value).matches() ? Optional.of(UUID.fromString(value)) : Optional.empty();
    }

    /** The UUID, or an {@link InvalidParameter} naming {@code parameter}. */
    public static UUID required(String parameter, String value) {
        return parse(value).orElseThrow(() ->
                new InvalidParameter(parameter, "must be a UUID like 0b5f3c1e-8a4d-4e2b-9c7f-2d1e6a9b8c70"));
    }
}
