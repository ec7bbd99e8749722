package dev.retention.contracts;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.retention.contracts.DecodeResult.Decoded;
import dev.retention.contracts.DecodeResult.Rejected;
import dev.retention.contracts.events.EventData;
import dev.retention.contracts.events.FieldViolation;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns the raw bytes of a Kafka record into a typed {@link EventEnvelope} or a {@link Rejected} naming the field
 * and what was wrong. Accepts CloudEvents structured mode (the value is the whole event) and binary mode (attributes
 * in {@code ce_*} headers, the value is {@code data}). Thread-safe.
 */
public final class EventDecoder {

    public static final int DEFAULT_MAX_RECORD_BYTES = 256 * 1024;
    static final int MAX_ID_LENGTH = 200;

    private static final String STRUCTURED_CONTENT_TYPE = "application/cloudevents+json";
    private static final String BINARY_SPEC_VERSION_HEADER = "ce_specversion";

    private final ObjectMapper mapper = ContractJson.mapper();
    private final ObjectMapper treeMapper = ContractJson.treeMapper();
    private final EventSchemas schemas;
    private final int maxRecordBytes;

    public EventDecoder() {
        this(DEFAULT_MAX_RECORD_BYTES);
    }

    public EventDecoder(int maxRecordBytes) {
        this.maxRecordBytes = maxRecordBytes;
        this.schemas = EventSchemas.shared();
    }

    /**
     * @param topic the topic the record came from, or null to accept any topic
     * @param key   the record key, which must equal the event's subject (the customer id)
     */
    public DecodeResult decode(String topic, String key, byte[] value, Map<String, byte[]> headers) {
        if (value == null || value.length == 0) {
            return new Rejected(RejectionReason.EMPTY_RECORD, "record", "the record has no value");
        }
        if (value.length > maxRecordBytes) {
            return new Rejected(RejectionReason.TOO_LARGE, "record",
                    value.length + " bytes is over the limit of " + maxRecordBytes);
        }
        try {
            Attributes attributes;
            JsonNode data;
            if (!isStructured(headers)) {
                attributes = Attributes.fromHeaders(headers);
                data = parse(value, "$.data");
            } else {
                JsonNode event = parse(value, "$");
                if (!event.isObject()) {
                    throw new Rejection(RejectionReason.INVALID_JSON, "$", "a structured CloudEvent is a JSON object");
                }
                attributes = Attributes.fromJson((ObjectNode) event);
                data = event.get("data");
            }
            return new Decoded(toEnvelope(topic, key, attributes, data));
        } catch (Rejection rejection) {
            return rejection.toResult();
        }
    }

    /**
     * The known event type a record names, read without decoding it: the {@code ce_type} header in binary mode, the
     * top-level {@code type} member in structured mode (reading stops there). Empty when the record names no known
     * type or cannot be read that far; {@link #decode} then says what is wrong with it. A consumer uses it to pass
     * over the types it does not act on without paying for their validation.
     */
    public Optional<EventType> announcedType(byte[] value, Map<String, byte[]> headers) {
        if (value == null || value.length == 0 || value.length > maxRecordBytes) {
            return Optional.empty();
        }
        if (!isStructured(headers)) {
            byte[] type = headers.get("ce_type");
            return type == null ? Optional.empty()
                    : EventType.fromWireName(new String(type, StandardCharsets.UTF_8));
        }
        try (JsonParser parser = mapper.getFactory().createParser(value)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return Optional.empty();
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken token = parser.nextToken();
                if ("type".equals(name)) {
                    return token == JsonToken.VALUE_STRING ? EventType.fromWireName(parser.getText())
                            : Optional.empty();
                }
                parser.skipChildren();
            }
            return Optional.empty();
        } catch (java.io.IOException e) {
            return Optional.empty();
        }
    }

    private EventEnvelope<?> toEnvelope(String topic, String key, Attributes attributes, JsonNode data) {
        String specVersion = attributes.require("specversion");
        if (!EventEnvelope.SPEC_VERSION.equals(specVersion)) {
            throw new Rejection(RejectionReason.UNSUPPORTED_SPEC_VERSION, attributes.locate("specversion"),
                    "expected CloudEvents " + EventEnvelope.SPEC_VERSION + ", got '" + specVersion + "'");
        }
        String id = attributes.require("id");
        if (id.length() > MAX_ID_LENGTH) {
            throw new Rejection(RejectionReason.INVALID_ATTRIBUTE, attributes.locate("id"),
                    "longer than " + MAX_ID_LENGTH + " characters");
        }
        String source = attributes.require("source");
        String subject = attributes.require("subject");
        Instant time = parseTime(attributes);
        String typeName = attributes.require("type");
        EventType type = EventType.fromWireName(typeName).orElseThrow(() -> new Rejection(
                RejectionReason.UNKNOWN_TYPE, attributes.locate("type"), "unknown event type '" + typeName + "'"));
        if (topic != null && !topic.equals(type.topic())) {
            throw new Rejection(RejectionReason.WRONG_TOPIC, attributes.locate("type"),
                    typeName + " belongs on topic '" + type.topic() + "', not '" + topic + "'");
        }
        if (!subject.equals(key)) {
            throw new Rejection(RejectionReason.KEY_MISMATCH, "key",
                    "the record key must be the customer id '" + subject + "', was " + describeKey(key));
        }
        if (data == null || data.isNull()) {
            throw new Rejection(RejectionReason.MISSING_ATTRIBUTE, "$.data", "required");
        }
        List<FieldViolation> schemaViolations = schemas.validate(type, data);
        if (!schemaViolations.isEmpty()) {
            throw schemaRejection(schemaViolations);
        }
        EventData payload;
        try {
            payload = mapper.treeToValue(data, type.dataClass());
        } catch (JsonProcessingException e) {
            // The schema should have caught it; if the record and the schema disagree, say where.
            throw new Rejection(RejectionReason.SCHEMA_VIOLATION, "$.data", e.getOriginalMessage());
        }
        List<FieldViolation> ruleViolations = payload.violations();
        if (!ruleViolations.isEmpty()) {
            throw schemaRejection(ruleViolations.stream().sorted(DocumentOrder.of(data)).toList());
        }
        return new EventEnvelope<>(id, source, type, time, subject, payload);
    }

    private static Rejection schemaRejection(List<FieldViolation> violations) {
        FieldViolation first = violations.get(0);
        String detail = violations.size() == 1 ? first.problem()
                : first.problem() + " (and " + (violations.size() - 1) + " more: " + violations.subList(1, violations.size()) + ")";
        return new Rejection(RejectionReason.SCHEMA_VIOLATION, first.field(), detail);
    }

    private static Instant parseTime(Attributes attributes) {
        String time = attributes.require("time");
        try {
            return Rfc3339.parse(time);
        } catch (DateTimeParseException e) {
            throw new Rejection(RejectionReason.INVALID_ATTRIBUTE, attributes.locate("time"),
                    "not an RFC 3339 timestamp: '" + time + "'");
        }
    }

    private JsonNode parse(byte[] bytes, String where) {
        int invalid = Utf8.firstInvalidByte(bytes);
        if (invalid >= 0) {
            throw new Rejection(RejectionReason.INVALID_UTF8, where, "not valid UTF-8 at byte " + invalid);
        }
        try {
            return treeMapper.readTree(bytes);
        } catch (java.io.IOException e) {
            String message = e instanceof JsonProcessingException json ? json.getOriginalMessage() : e.getMessage();
            throw new Rejection(RejectionReason.INVALID_JSON, where, message);
        }
    }

    static String strictUtf8(byte[] bytes, String where) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new Rejection(RejectionReason.INVALID_UTF8, where, "not valid UTF-8: " + e.getMessage());
        }
    }

    private static String describeKey(String key) {
        return key == null ? "absent" : "'" + (key.length() > 64 ? key.substring(0, 64) + "…" : key) + "'";
    }

    /** The CloudEvent context attributes, wherever the mode keeps them. */
    private interface Attributes {

        Optional<String> get(String name);

        String locate(String name);

        default String require(String name) {
            String value = get(name).orElseThrow(() -> new Rejection(RejectionReason.MISSING_ATTRIBUTE, locate(name),
                    "required"));
            if (value.isBlank()) {
                throw new Rejection(RejectionReason.INVALID_ATTRIBUTE, locate(name), "must not be blank");
            }
            return value;
        }

        static Attributes fromJson(ObjectNode event) {
            return new Attributes() {
                @Override
                public Optional<String> get(String name) {
                    JsonNode node = event.get(name);
                    if (node == null || node.isNull()) {
                        return Optional.empty();
                    }
                    if (!node.isTextual()) {
                        throw new Rejection(RejectionReason.INVALID_ATTRIBUTE, locate(name),
                                "must be a string, was " + node.getNodeType().name().toLowerCase());
                    }
                    return Optional.of(node.textValue());
                }

                @Override
                public String locate(String name) {
                    return "$." + name;
                }
            };
        }

        static Attributes fromHeaders(Map<String, byte[]> headers) {
            return new Attributes() {
                @Override
                public Optional<String> get(String name) {
                    byte[] value = headers.get("ce_" + name);
                    return value == null ? Optional.empty() : Optional.of(strictUtf8(value, locate(name)));
                }

                @Override
                public String locate(String name) {
                    return "header:ce_" + name;
                }
            };
        }
    }

    /** Unwinds decoding at the first problem; cheap because it carries no stack trace. */
    private static final class Rejection extends RuntimeException {
        private final RejectionReason reason;
        private final String field;

        Rejection(RejectionReason reason, String field, String detail) {
            super(detail, null, false, false);
            this.reason = reason;
            this.field = field;
        }

        Rejected toResult() {
            return new Rejected(reason, field, getMessage());
        }
    }

    /** Binary mode is announced by {@code ce_specversion}; a structured content type wins over it. */
    private static boolean isStructured(Map<String, byte[]> headers) {
        byte[] contentType = headers.get("content-type");
        return !headers.containsKey(BINARY_SPEC_VERSION_HEADER)
                || (contentType != null && new String(contentType, StandardCharsets.UTF_8).startsWith(STRUCTURED_CONTENT_TYPE));
    }
}
