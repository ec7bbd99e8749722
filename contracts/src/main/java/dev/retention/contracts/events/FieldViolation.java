package dev.retention.contracts.events;

/** One thing wrong with one field, named by its JSON path (for example {@code $.data.lines[0].unitPrice}). */
public record FieldViolation(String field, String problem) {

    @Override
    public String toString() {
        return field + ": " + problem;
    }
}
