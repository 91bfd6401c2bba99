package dev.surge.gateway.resilience;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.util.MultiValueMap;

import dev.surge.service.web.PageRequest;

/**
 * Which last-good copy a catalog read would be kept under, so that nobody can grow the key space
 * by varying a request. Only the parameters catalog reads for that path count (its controllers
 * ignore any other, so the answer is the same without them), normalised: sorted by name, values
 * trimmed, defaults dropped, numbers written plainly. A request that could not be a good answer
 * (a value catalog refuses, a repeated parameter, an odd path) has no key: it is not kept, and
 * gets no stale answer.
 *
 * <p>Mirrors catalog's API: a parameter catalog adds must be added here, or different answers
 * would share one copy.
 */
final class LastGoodKeys {

    /** Longer paths are no catalog resource; keeps the key itself small. */
    private static final int MAX_PATH_LENGTH = 200;

    /** catalog's own limit on a search query. */
    private static final int MAX_QUERY_LENGTH = 100;

    private static final Pattern PATH = Pattern.compile("(/[A-Za-z0-9._~-]+)+");
    private static final Pattern SLUG = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]{0,63}");
    private static final Pattern SORT = Pattern.compile("[a-z][a-z-]{0,31}");
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    private static final Set<String> LIST = Set.of("category", "page", "size", "sort");
    private static final Set<String> SEARCH = Set.of("q", "page", "size");
    private static final Set<String> PAGES = Set.of("page", "size");

    private LastGoodKeys() {
    }

    /** The request's normalised path and query, or nothing when its answer is not one to keep. */
    static Optional<String> of(ServerHttpRequest request) {
        return of(request.getURI().getPath(), request.getQueryParams());
    }

    /** From the decoded path and the decoded query parameters. */
    private static Optional<String> of(String path, MultiValueMap<String, String> query) {
        if (path.length() > MAX_PATH_LENGTH || !PATH.matcher(path).matches() || path.contains("/.")) {
            return Optional.empty();
        }
        Map<String, String> kept;
        try {
            kept = knownParameters(parametersOf(path), query);
        }
        catch (Refused refused) {
            return Optional.empty();
        }
        StringBuilder key = new StringBuilder(path);
        String separator = "?";
        for (Map.Entry<String, String> parameter : kept.entrySet()) {
            key.append(separator)
                    .append(parameter.getKey())
                    .append('=')
                    .append(URLEncoder.encode(parameter.getValue(), StandardCharsets.UTF_8));
            separator = "&";
        }
        return Optional.of(key.toString());
    }

    private static Set<String> parametersOf(String path) {
        if (path.equals("/api/products")) {
            return LIST;
        }
        if (path.equals("/api/products/search")) {
            return SEARCH;
        }
        if (path.startsWith("/api/products/") && path.endsWith("/reviews")) {
            return PAGES;
        }
        return Set.of();
    }

    private static Map<String, String> knownParameters(Set<String> known, MultiValueMap<String, String> query) {
        Map<String, String> kept = new TreeMap<>();
        for (Map.Entry<String, List<String>> parameter : query.entrySet()) {
            if (!known.contains(parameter.getKey())) {
                continue;
            }
            if (parameter.getValue().size() != 1) {
                throw Refused.INSTANCE;
            }
            String value = normalised(parameter.getKey(), parameter.getValue().getFirst());
            if (value != null) {
                kept.put(parameter.getKey(), value);
            }
        }
        return kept;
    }

    /** A parameter's normal form, {@code null} for the default (the same answer as without it). */
    private static String normalised(String name, String raw) {
        String value = raw == null ? "" : raw.strip();
        if (value.isEmpty()) {
            return null;
        }
        return switch (name) {
            case "page" -> number(value, 0, 0, PageRequest.MAX_PAGE);
            case "size" -> number(value, PageRequest.DEFAULT_SIZE, 1, PageRequest.MAX_SIZE);
            case "sort" -> value.equals("name") ? null : matching(SORT, value);
            case "category" -> matching(SLUG, value);
            case "q" -> query(value);
            default -> throw Refused.INSTANCE;
        };
    }

    private static String number(String value, int fallback, int min, int max) {
        if (value.length() > 6 || !value.chars().allMatch(Character::isDigit)) {
            throw Refused.INSTANCE;
        }
        int number = Integer.parseInt(value);
        if (number < min || number > max) {
            throw Refused.INSTANCE;
        }
        return number == fallback ? null : Integer.toString(number);
    }

    private static String matching(Pattern pattern, String value) {
        if (!pattern.matcher(value).matches()) {
            throw Refused.INSTANCE;
        }
        return value;
    }

    private static String query(String value) {
        String collapsed = WHITESPACE.matcher(value).replaceAll(" ");
        if (collapsed.length() > MAX_QUERY_LENGTH) {
            throw Refused.INSTANCE;
        }
        return collapsed;
    }

    /** A value catalog would refuse: no answer worth keeping. One instance, no stack: it is not a fault. */
    private static final class Refused extends RuntimeException {

        static final Refused INSTANCE = new Refused();

        private Refused() {
            super("not a request whose answer is kept", null, false, false);
        }
    }
}
