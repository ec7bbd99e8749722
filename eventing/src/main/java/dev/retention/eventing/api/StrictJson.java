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
 * Money's amount is read from a decimal string only ({@code "45.00"}, by the contracts; its own reader), every other
 * number only from a JSON number.
 * Unknown properties are still ignored (Quarkus's default), so clients may send fields a later version reads. An
 * explicit {@code null} for a primitive (a record's {@code boolean}) still reads as its default: Jackson cannot tell
 * it from an absent member for a record, and refusing both would make optional flags mandatory.
 * The eventing kit reads events with its own mapper (contracts' {@code ContractJson}); this one is the REST layer's.
 */
@Singleton
public class StrictJson implements ObjectMapperCustomizer {

    private static final java.util.Set<Class<?>> TIMES = java.util.Set.of(java.time.Instant.class,
            java.time.Duration.class, java.time.OffsetDateTime.class, java.time.LocalDate.class,
            java.time.LocalTime.class, java.time.ZonedDateTime.class);

    /** Reads a value only from a JSON string; anything else is refused as the wrong JSON type, naming the field. */
    static final class StringsOnly<T> extends com.fasterxml.jackson.databind.JsonDeserializer<T>
            implements com.fasterxml.jackson.databind.deser.ContextualDeserializer,
            com.fasterxml.jackson.databind.deser.ResolvableDeserializer {

        private final com.fasterxml.jackson.databind.JsonDeserializer<T> delegate;

        StringsOnly(com.fasterxml.jackson.databind.JsonDeserializer<T> delegate) {
            this.delegate = delegate;
        }

        @Override
        public T deserialize(com.fasterxml.jackson.core.JsonParser parser,
                             com.fasterxml.jackson.databind.DeserializationContext context) throws java.io.IOException {
            if (!parser.hasToken(com.fasterxml.jackson.core.JsonToken.VALUE_STRING)) {
                @SuppressWarnings("unchecked")
                T refused = (T) context.handleUnexpectedToken(delegate.handledType(), parser.currentToken(), parser,
                        "must be a string");
                return refused;
            }
            return delegate.deserialize(parser, context);
        }

        @Override
        public com.fasterxml.jackson.databind.JsonDeserializer<?> createContextual(
                com.fasterxml.jackson.databind.DeserializationContext context,
                com.fasterxml.jackson.databind.BeanProperty property)
                throws com.fasterxml.jackson.databind.JsonMappingException {
            if (delegate instanceof com.fasterxml.jackson.databind.deser.ContextualDeserializer contextual) {
                @SuppressWarnings("unchecked")
                com.fasterxml.jackson.databind.JsonDeserializer<T> narrowed =
                        (com.fasterxml.jackson.databind.JsonDeserializer<T>) contextual.createContextual(context, property);
                return new StringsOnly<>(narrowed);
            }
            return this;
        }

        @Override
        public void resolve(com.fasterxml.jackson.databind.DeserializationContext context)
                throws com.fasterxml.jackson.databind.JsonMappingException {
            if (delegate instanceof com.fasterxml.jackson.databind.deser.ResolvableDeserializer resolvable) {
                resolvable.resolve(context);
            }
        }

        @Override
        public Class<?> handledType() {
            return delegate.handledType();
        }

        @Override
        public T getNullValue(com.fasterxml.jackson.databind.DeserializationContext context)
                throws com.fasterxml.jackson.databind.JsonMappingException {
            return delegate.getNullValue(context);
        }
    }

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
        // A number field (percentOff) is a JSON number: "21.5" or "null" is not read as one. Money's amount, a
        // decimal string by the contracts, has its own reader (Money.DecimalString).
        mapper.coercionConfigFor(LogicalType.Float)
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
        // A JSON number is not a decimal string either way round for the scalars above; for text fields a number
        // or boolean is refused too, so "orderId": 12 or "amount": 45.5 does not become "12" or "45.5".
        // Times and durations are strings (RFC 3339, ISO 8601): a number is not read as epoch seconds, which the
        // java.time readers do whatever their leniency.
        mapper.registerModule(new com.fasterxml.jackson.databind.module.SimpleModule("strict-times")
                .setDeserializerModifier(new com.fasterxml.jackson.databind.deser.BeanDeserializerModifier() {
                    @Override
                    public com.fasterxml.jackson.databind.JsonDeserializer<?> modifyDeserializer(
                            com.fasterxml.jackson.databind.DeserializationConfig config,
                            com.fasterxml.jackson.databind.BeanDescription description,
                            com.fasterxml.jackson.databind.JsonDeserializer<?> deserializer) {
                        return TIMES.contains(description.getBeanClass()) ? new StringsOnly<>(deserializer) : deserializer;
                    }
                }));
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    }
}
