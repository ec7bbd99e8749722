package dev.retention.contracts.events;

import java.time.LocalDate;

/**
 * {@code tier.downgrade-at-risk} on {@code loyalty.tier-changes}: unless {@code shortfall} is spent by
 * {@code downgradeOn}, the customer moves from {@code currentTier} to {@code projectedTier}.
 */
public record TierDowngradeAtRisk(
        String currentTier,
        String projectedTier,
        Money qualifyingSpend,
        Money shortfall,
        LocalDate downgradeOn) implements EventData {

    @Override
    public java.util.List<FieldViolation> violations() {
        return new Violations().money("$.data.qualifyingSpend", qualifyingSpend)
                .money("$.data.shortfall", shortfall).list();
    }
}
