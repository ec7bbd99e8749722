package dev.retention.contracts.events;

import java.util.List;

/** The {@code data} of a CloudEvent. Implementations are records; they check what a JSON Schema cannot. */
public interface EventData {

    /** Rules beyond the JSON Schema (known currency, amount precision). Empty when the data is valid. */
    default List<FieldViolation> violations() {
        return List.of();
    }
}
