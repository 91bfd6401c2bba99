package dev.surge.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads and writes {@link EventEnvelope}s as JSON: the whole envelope is the Kafka record
 * value, and the type name and schema version are repeated in headers so a consumer picks the
 * payload class without parsing, and never from a Java class name.
 *
 * <p>Readers are tolerant: unknown properties are ignored, so a producer may add a field
 * before its consumers know it. Absent properties are omitted rather than written as null.
 *
 * <p>Thread-safe; build one and share it.
 */
public final class EventCodec {

    /** Header with the logical type name, e.g. {@code OrderPlaced} (UTF-8). */
    public static final String TYPE_HEADER = "surge-event-type";

    /** Header with the payload schema version as a decimal string, e.g. {@code 1} (UTF-8). */
    public static final String VERSION_HEADER = "surge-schema-version";

    /** Header with the media type of the record value, {@link #CONTENT_TYPE}. */
    public static final String CONTENT_TYPE_HEADER = "content-type";

    /** The media type of every record value. */
    public static final String CONTENT_TYPE = "application/json";

    private final JsonMapper mapper;

    public EventCodec() {
        this.mapper = JsonMapper.builder()
                .disable(DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .changeDefaultPropertyInclusion(inclusion -> inclusion
                        .withValueInclusion(JsonInclude.Include.NON_NULL)
                        .withContentInclusion(JsonInclude.Include.NON_NULL))
                .build();
    }

    /** The envelope as UTF-8 JSON. */
    public byte[] encode(EventEnvelope<?> envelope) {
        return mapper.writeValueAsBytes(envelope);
    }

    /**
     * Reads a record value whose headers name {@code type} and {@code schemaVersion}.
     *
     * @throws UnknownEventType                if no type with that name and version is registered
     * @throws IllegalArgumentException        if the envelope in the value names another type or version than the headers
     * @throws tools.jackson.core.JacksonException if the value is not a valid envelope of that type,
     *                                         including a payload its record's constructor rejects
     */
    public EventEnvelope<Event> decode(String type, int schemaVersion, byte[] value) {
        EventTypes.EventType registered = EventTypes.byName(type, schemaVersion)
                .orElseThrow(() -> new UnknownEventType(type, schemaVersion));
        JavaType envelopeType = mapper.getTypeFactory()
                .constructParametricType(EventEnvelope.class, registered.javaType());
        JsonNode tree = mapper.readTree(value);
        String bodyType = tree.path("type").stringValue(null);
        int bodyVersion = tree.path("schemaVersion").intValue(0);
        // Checked before binding: a payload of one type can fit the record of another and would be misread silently.
        if (!type.equals(bodyType) || bodyVersion != schemaVersion) {
            throw new IllegalArgumentException("headers name " + type + " v" + schemaVersion
                    + " but the envelope holds " + bodyType + " v" + bodyVersion);
        }
        return mapper.treeToValue(tree, envelopeType);
    }

    /** The mapper behind this codec, for tests that look at the JSON tree. */
    public JsonMapper mapper() {
        return mapper;
    }
}
