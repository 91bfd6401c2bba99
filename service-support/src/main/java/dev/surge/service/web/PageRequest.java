package dev.surge.service.web;

/**
 * A validated page request, parsed from the raw query parameters so a bad value is reported by
 * the parameter's name rather than as a generic conversion failure.
 *
 * @param page zero-based page number, 0 to {@value #MAX_PAGE}
 * @param size page size, 1 to {@value #MAX_SIZE}
 */
public record PageRequest(int page, int size) {

    public static final int DEFAULT_SIZE = 20;
    public static final int MAX_SIZE = 100;
    public static final int MAX_PAGE = 10_000;

    public static PageRequest parse(String page, String size) {
        return new PageRequest(
                parse("page", page, 0, 0, MAX_PAGE),
                parse("size", size, DEFAULT_SIZE, 1, MAX_SIZE));
    }

    public long offset() {
        return (long) page * size;
    }

    private static int parse(String name, String raw, int fallback, int min, int max) {
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        int value;
        try {
            value = Integer.parseInt(raw.trim());
        }
        catch (NumberFormatException e) {
            throw new InvalidParameter(name, "must be a whole number from " + min + " to " + max);
        }
        if (value < min || value > max) {
            throw new InvalidParameter(name, "must be from " + min + " to " + max);
        }
        return value;
    }
}
