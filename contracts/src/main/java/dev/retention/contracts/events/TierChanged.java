package dev.retention.contracts.events;

import java.time.Instant;

/** {@code tier.changed} on {@code loyalty.tier-changes}. {@code fromTier} is null for a customer's first tier. */
public record TierChanged(
        String fromTier,
        String toTier,
        Direction direction,
        String reason,
        Money qualifyingSpend,
        Instant effectiveAt) implements EventData {

    public enum Direction { INITIAL, UP, DOWN }

    @Override
    public java.util.List<FieldViolation> violations() {
        return new Violations().money("$.data.qualifyingSpend", qualifyingSpend).list();
    }
}
