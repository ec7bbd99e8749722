package dev.retention.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.retention.contracts.events.FieldViolation;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON Schema of every event type's {@code data}, loaded once from the classpath. Valid data passes a
 * {@link QuickSchemaCheck}; the full validator runs for the rest and names what is wrong.
 */
public final class EventSchemas {

    /** Schemas name each other under this base; it is mapped to the classpath, nothing is fetched. */
    public static final String BASE_URI = "https://schemas.retention.dev/events/";

    private static final EventSchemas SHARED = new EventSchemas();

    private final Map<EventType, JsonSchema> schemas = new EnumMap<>(EventType.class);
    private final Map<EventType, QuickSchemaCheck> quickChecks = new EnumMap<>(EventType.class);
    private final JsonSchema programme;

    private EventSchemas() {
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
                builder -> builder.schemaMappers(mappers -> mappers.mapPrefix(BASE_URI, "classpath:schemas/")));
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder()
                .pathType(PathType.JSON_PATH)
                .formatAssertionsEnabled(true)
                .build();
        for (EventType type : EventType.values()) {
            JsonSchema schema = factory.getSchema(SchemaLocation.of(BASE_URI + type.wireName() + ".json"), config);
            schema.initializeValidators();
            schemas.put(type, schema);
            quickChecks.put(type, QuickSchemaCheck.compile(EventSchemas::document, type.wireName() + ".json"));
        }
        programme = factory.getSchema(SchemaLocation.of(BASE_URI + "programme.json"), config);
        programme.initializeValidators();
    }

    /** A schema file as JSON, or null when there is none: the quick check is then never certain. */
    private static JsonNode document(String fileName) {
        try (InputStream in = EventSchemas.class.getResourceAsStream("/schemas/" + fileName)) {
            return in == null ? null : ContractJson.mapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read schema " + fileName, e);
        }
    }

    public static EventSchemas shared() {
        return SHARED;
    }

    /** Violations of the type's schema by {@code data}, with paths from the event root ({@code $.data...}). */
    public List<FieldViolation> validate(EventType type, JsonNode data) {
        if (quickChecks.get(type).certainlyValid(data)) {
            return List.of();
        }
        return fullValidation(type, data);
    }

    /** Whether the quick check alone finds the data valid. */
    boolean quicklyValid(EventType type, JsonNode data) {
        return quickChecks.get(type).certainlyValid(data);
    }

    /**
     * The full validator's verdict, whatever the quick check says: for the tests that hold the two together. Sorted
     * in the data's document order ({@link DocumentOrder}), so the first is the first fault a reader of the record
     * meets.
     */
    List<FieldViolation> fullValidation(EventType type, JsonNode data) {
        return schemas.get(type).validate(data).stream()
                .map(EventSchemas::toViolation)
                .sorted(DocumentOrder.of(data).thenComparing(FieldViolation::problem))
                .toList();
    }

    /** Violations of {@code schemas/programme.json} by a programme document, with paths from its root ({@code $}). */
    public List<FieldViolation> validateProgramme(JsonNode document) {
        return programme.validate(document).stream()
                .map(message -> toViolation(message, "$"))
                .sorted(DocumentOrder.of(document).thenComparing(FieldViolation::problem))
                .toList();
    }

    private static FieldViolation toViolation(ValidationMessage message) {
        return toViolation(message, "$.data");
    }

    private static FieldViolation toViolation(ValidationMessage message, String root) {
        String location = message.getInstanceLocation().toString();
        String field = root + location.substring(1);
        if ("required".equals(message.getType()) && message.getProperty() != null) {
            field = field + "." + message.getProperty();
        }
        String text = message.getMessage();
        String problem = text.startsWith(location + ": ") ? text.substring(location.length() + 2) : text;
        if ("enum".equals(message.getType()) && message.getSchemaNode().isArray()) {
            // The validator lists every allowed value: 233 currencies would fill a dead letter's detail header.
            problem = message.getInstanceNode() + " is not one of the " + message.getSchemaNode().size()
                    + " values the schema allows";
        }
        return new FieldViolation(field, problem);
    }
}
