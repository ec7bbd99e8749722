package dev.retention.eventing.api;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidDefinitionException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import jakarta.ws.rs.core.Response;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A request body Jackson refused, as problem+json: 400 MALFORMED_REQUEST naming the field as the client sent it
 * ({@code points}, {@code orderValue.amount}, {@code segment.tiers[0]}) with what it must be, and for a body that is
 * not JSON at all the line and column (also as the members {@code line} and {@code column}). A value whose type
 * refuses it once read (a record's constructor: {@code orderValue} without {@code amount}) is INVALID_REQUEST, as
 * bean validation answers it. Jackson's own messages name Java types and are not passed on, except a syntax error's.
 */
final class JsonBodyProblems {

    private static final Pattern SOURCE_REFERENCE = Pattern.compile("\\s*\\(start marker at \\[Source:[^]]*]\\)");
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private JsonBodyProblems() {
    }

    static Response of(JsonProcessingException e) {
        if (e instanceof InvalidDefinitionException) {
            // The type cannot be read by Jackson at all: our fault, not the client's.
            return Problems.response(500, "Internal Server Error", "the request body's type cannot be read",
                    "HTTP_500");
        }
        if (e instanceof ValueInstantiationException refused) {
            return refusedByType(refused);
        }
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            String field = path(mapping);
            String problem = problem(mapping);
            return malformed(field + ": " + problem, List.of(Map.of("field", field, "problem", problem)),
                    e.getLocation());
        }
        if (e instanceof MismatchedInputException mismatch) {
            String problem = mismatch.getMessage() != null && mismatch.getMessage().startsWith("Trailing token")
                    ? "must be a single JSON value, with nothing after it"
                    : "must be " + expected(mismatch.getTargetType());
            return malformed("the body " + problem, null, e.getLocation());
        }
        return malformed("the body is not valid JSON: " + syntax(e), null, e.getLocation());
    }

    private static Response refusedByType(ValueInstantiationException e) {
        String field = path(e);
        Throwable cause = e.getCause();
        String problem;
        if (cause instanceof NullPointerException && cause.getMessage() != null
                && IDENTIFIER.matcher(cause.getMessage()).matches()) {
            // Objects.requireNonNull(amount, "amount") in a record's constructor: the member is missing or null.
            field = field.isEmpty() ? cause.getMessage() : field + "." + cause.getMessage();
            problem = "must not be null";
        } else if (cause instanceof IllegalArgumentException && cause.getMessage() != null) {
            problem = cause.getMessage();
        } else {
            problem = "is not a valid value";
        }
        return Problems.response(400, "Invalid request", "1 field(s) invalid", "INVALID_REQUEST",
                List.of(Map.of("field", field.isEmpty() ? "body" : field, "problem", problem)));
    }

    private static Response malformed(String detail, List<Map<String, String>> violations, JsonLocation location) {
        Map<String, Object> extensions = new LinkedHashMap<>();
        if (location != null && location.getLineNr() > 0) {
            extensions.put("line", location.getLineNr());
            extensions.put("column", location.getColumnNr());
            detail += " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
        }
        return Problems.response(400, "Malformed request", detail, "MALFORMED_REQUEST", violations, extensions);
    }

    /** The path as the client wrote it: property names joined by dots, array positions in brackets. */
    static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : e.getPath()) {
            if (reference.getFieldName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String problem(JsonMappingException e) {
        if (e instanceof MismatchedInputException mismatch) {
            return "must be " + expected(mismatch.getTargetType());
        }
        if (e.getCause() instanceof InputCoercionException coercion) {
            return "must be " + expected(coercion.getTargetType()) + " within range";
        }
        return "could not be read";
    }

    /** What a JSON value of this Java type looks like, in the API's words. */
    static String expected(Class<?> type) {
        if (type == null) {
            return "of another JSON type";
        }
        if (type == Long.class || type == long.class || type == Integer.class || type == int.class
                || type == Short.class || type == short.class || type == BigInteger.class) {
            return "an integer";
        }
        if (type == BigDecimal.class || type == Double.class || type == double.class || type == Float.class
                || type == float.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class || type == Character.class || type == char.class) {
            return "a string";
        }
        if (type == Instant.class || type == OffsetDateTime.class) {
            return "an RFC 3339 timestamp string, e.g. \"2026-01-31T09:00:00Z\"";
        }
        if (type == LocalDate.class) {
            return "an ISO 8601 date string, e.g. \"2026-01-31\"";
        }
        if (type == Duration.class) {
            return "an ISO 8601 duration string, e.g. \"P14D\"";
        }
        if (type.isEnum()) {
            return "one of " + Arrays.toString(type.getEnumConstants());
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        return "a JSON object";
    }

    private static String syntax(JsonProcessingException e) {
        String message = e.getOriginalMessage() == null ? "unreadable" : e.getOriginalMessage();
        int newline = message.indexOf('\n');
        if (newline >= 0) {
            message = message.substring(0, newline);
        }
        return SOURCE_REFERENCE.matcher(message).replaceAll("").trim();
    }
}
