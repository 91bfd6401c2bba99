package dev.surge.events;

import com.networknt.schema.InputFormat;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The checked-in JSON Schemas, loaded from the class path, with format assertions on. */
final class Schemas {

    static final String ENVELOPE = "schemas/envelope.v1.json";

    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    // Draft 2020-12 treats "format" as an annotation only; we want uuid and date-time checked.
    private static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder()
            .formatAssertionsEnabled(true)
            .build();
    private static final Map<String, JsonSchema> LOADED = new ConcurrentHashMap<>();

    private Schemas() {
    }

    static boolean exists(String path) {
        return Schemas.class.getClassLoader().getResource(path) != null;
    }

    static List<String> violations(String path, String json) {
        return LOADED.computeIfAbsent(path, Schemas::load)
                .validate(json, InputFormat.JSON)
                .stream()
                .map(ValidationMessage::getMessage)
                .sorted()
                .toList();
    }

    private static JsonSchema load(String path) {
        try (InputStream in = Schemas.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new AssertionError("no schema on the class path at " + path);
            }
            return FACTORY.getSchema(in, CONFIG);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
