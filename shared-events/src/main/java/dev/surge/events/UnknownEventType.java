package dev.surge.events;

/**
 * A record names a type and schema version that {@link EventTypes} does not know, typically
 * one written by a newer producer. Consumers dead-letter such records instead of guessing.
 */
public class UnknownEventType extends RuntimeException {

    private final String type;
    private final int schemaVersion;

    public UnknownEventType(String type, int schemaVersion) {
        super("unknown event type " + type + " v" + schemaVersion);
        this.type = type;
        this.schemaVersion = schemaVersion;
    }

    /** The logical type name that was not found. */
    public String type() {
        return type;
    }

    /** The schema version that was not found. */
    public int schemaVersion() {
        return schemaVersion;
    }
}
