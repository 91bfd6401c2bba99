package dev.surge.service.web;

import java.util.Map;

import org.springframework.http.HttpStatus;

/**
 * The request contradicts what exists (a SKU already taken, too few units left, a price that
 * changed); answered with a problem of its own type, {@code 409} unless it says otherwise, with the
 * properties a client needs to react (how many units are left, the new total).
 */
public class Conflict extends RuntimeException {

    private final String type;
    private final HttpStatus status;
    private final String title;
    private final Map<String, Object> properties;

    public Conflict(String type, String detail) {
        this(type, HttpStatus.CONFLICT, "Conflict", detail, Map.of());
    }

    public Conflict(String type, HttpStatus status, String title, String detail, Map<String, Object> properties) {
        super(detail);
        this.type = type;
        this.status = status;
        this.title = title;
        this.properties = Map.copyOf(properties);
    }

    public String type() {
        return type;
    }

    public HttpStatus status() {
        return status;
    }

    public String title() {
        return title;
    }

    /** Extension members of the problem document. */
    public Map<String, Object> properties() {
        return properties;
    }
}
