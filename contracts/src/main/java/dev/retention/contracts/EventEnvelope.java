package dev.retention.contracts;

import dev.retention.contracts.events.EventData;

import java.time.Instant;
import java.util.Objects;

/**
 * A CloudEvents 1.0 event. {@code id} is the idempotency key, {@code subject} the customer id (and the record key).
 */
public record EventEnvelope<T extends EventData>(String id, String source, EventType type, Instant time, String subject,
                                                 T data) {

    public static final String SPEC_VERSION = "1.0";

    public EventEnvelope {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(data, "data");
        if (!type.dataClass().isInstance(data)) {
            throw new IllegalArgumentException(type.wireName() + " cannot carry " + data.getClass().getSimpleName());
        }
    }

    public static <T extends EventData> EventEnvelope<T> of(String id, String source, Instant time, String subject,
                                                            T data) {
        return new EventEnvelope<>(id, source, EventType.of(data), time, subject, data);
    }

    public String customerId() {
        return subject;
    }

    /** Narrows {@code data} to the record the caller expects for this type. */
    public <D extends EventData> D dataAs(Class<D> dataClass) {
        return dataClass.cast(data);
    }
}
