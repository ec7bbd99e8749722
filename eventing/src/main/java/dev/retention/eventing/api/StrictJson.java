package dev.retention.eventing.api;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/**
 * Request bodies are read as they are typed, never guessed at: Jackson's lenient defaults turned {@code "points":
 * 100.5} into 100 and {@code "points": "100"} into 100. Here a float for an integer, a string or boolean for a number,
 * a number or string for a boolean, a number or boolean for a string and a number for an enum are refused (the API
 * answers MALFORMED_REQUEST naming the field, see {@link JsonBodyProblems}), and so is anything after the body's JSON
 * value.
 * <p>
 * Decimal amounts stay readable from strings: money travels as a decimal string ({@code "45.00"}) by the contracts.
 * Unknown properties are still ignored (Quarkus's default), so clients may send fields a later version reads. An
 * explicit {@code null} for a primitive (a record's {@code boolean}) still reads as its default: Jackson cannot tell
 * it from an absent member for a record, and refusing both would make optional flags mandatory.
 * The eventing kit reads events with its own mapper (contracts' {@code ContractJson}); this one is the REST layer's.
 */
@Singleton
public class StrictJson implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS,
                DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
        for (LogicalType type : new LogicalType[]{LogicalType.Integer, LogicalType.Boolean}) {
            mapper.coercionConfigFor(type)
                    .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
        }
        mapper.coercionConfigFor(LogicalType.Boolean).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
        // A JSON number is not a decimal string either way round for the scalars above; for text fields a number
        // or boolean is refused too, so "orderId": 12 or "amount": 45.5 does not become "12" or "45.5".
        // Times and durations are strings (RFC 3339, ISO 8601): a number is not read as epoch seconds.
        for (Class<?> time : new Class<?>[]{java.time.Instant.class, java.time.Duration.class,
                java.time.OffsetDateTime.class, java.time.LocalDate.class}) {
            mapper.configOverride(time).setFormat(com.fasterxml.jackson.annotation.JsonFormat.Value.forLeniency(false));
        }
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    }
}
