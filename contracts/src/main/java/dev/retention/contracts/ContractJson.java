package dev.retention.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;

/** The JSON rules of the contracts: decimals as strings, ISO-8601 times, strict parsing, unknown fields tolerated. */
public final class ContractJson {

    private static final ObjectMapper MAPPER = builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();
    /**
     * Refuses duplicate keys while it builds a tree, where a map insert reports them for free: the parser's own
     * detection keeps a set of names per object and cost a decoder more than checking the schema.
     */
    private static final ObjectMapper TREE_MAPPER = builder()
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY).build();

    private ContractJson() {
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** The same rules, for reading JSON into a tree only ({@link ObjectMapper#readTree}). */
    static ObjectMapper treeMapper() {
        return TREE_MAPPER;
    }

    private static JsonMapper.Builder builder() {
        SimpleModule decimalsAsStrings = new SimpleModule("decimals-as-strings")
                .addSerializer(BigDecimal.class, new JsonSerializer<>() {
                    @Override
                    public void serialize(BigDecimal value, JsonGenerator gen, SerializerProvider serializers)
                            throws IOException {
                        gen.writeString(value.toPlainString());
                    }
                });
        // Registered after JavaTimeModule, so it replaces that module's Instant deserializer and serializer.
        SimpleModule fastInstants = new SimpleModule("rfc3339-instants")
                .addDeserializer(Instant.class, new Rfc3339InstantDeserializer())
                .addSerializer(Instant.class, new JsonSerializer<>() {
                    @Override
                    public void serialize(Instant value, JsonGenerator gen, SerializerProvider serializers)
                            throws IOException {
                        gen.writeString(Rfc3339.format(value));
                    }
                });
        // ISO 8601, in whole days where it is (P30D rather than PT720H): the programme's periods are read by people.
        SimpleModule isoDurations = new SimpleModule("iso-durations")
                .addSerializer(Duration.class, new JsonSerializer<>() {
                    @Override
                    public void serialize(Duration value, JsonGenerator gen, SerializerProvider serializers)
                            throws IOException {
                        boolean wholeDays = value.getNano() == 0 && value.getSeconds() % 86_400 == 0 && !value.isZero();
                        gen.writeString(wholeDays ? "P" + value.toDays() + "D" : value.toString());
                    }
                });
        return JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .addModule(decimalsAsStrings)
                .addModule(fastInstants)
                .addModule(isoDurations)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                // Producers may add fields before we read them: forward compatibility.
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
                .serializationInclusion(JsonInclude.Include.NON_NULL);
    }

    /**
     * Reads the usual timestamp shape with {@link Rfc3339} and leaves everything else (other shapes, numbers, nulls)
     * to JavaTimeModule's deserializer, so what is accepted does not change, only how fast.
     */
    static final class Rfc3339InstantDeserializer extends StdScalarDeserializer<Instant> {

        private static final JsonDeserializer<Instant> STANDARD =
                com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer.INSTANT;

        Rfc3339InstantDeserializer() {
            super(Instant.class);
        }

        @Override
        public Instant deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            if (parser.hasToken(JsonToken.VALUE_STRING)) {
                Instant instant = Rfc3339.parseUsualShape(parser.getText());
                if (instant != null) {
                    return instant;
                }
            }
            return STANDARD.deserialize(parser, context);
        }
    }
}
