package dev.surge.service.web;

/** The request contradicts what exists (a SKU already taken); answered with a 409 problem. */
public class Conflict extends RuntimeException {

    private final String type;

    public Conflict(String type, String detail) {
        super(detail);
        this.type = type;
    }

    public String type() {
        return type;
    }
}
