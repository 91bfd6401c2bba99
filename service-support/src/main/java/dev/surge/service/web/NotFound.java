package dev.surge.service.web;

/** Something addressed by the request does not exist (or is not for sale); answered with a 404 problem. */
public class NotFound extends RuntimeException {

    private final String kind;

    public NotFound(String kind, String id) {
        super("No " + kind + " '" + id + "'");
        this.kind = kind;
    }

    public String kind() {
        return kind;
    }
}
