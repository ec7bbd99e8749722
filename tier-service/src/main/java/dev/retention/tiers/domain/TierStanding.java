package dev.retention.tiers.domain;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;

/**
 * Where a customer stands at a moment: the tier held, the qualifying spend (base currency), the next tier up if any,
 * and until when the tier is safe without new orders (empty when it cannot be lost).
 */
public record TierStanding(TierStatus status, BigDecimal qualifyingSpend, Optional<Tier> nextTier,
                           Optional<Instant> safeUntil) {

    /** What is missing to the next tier; empty at the top of the ladder. */
    public Optional<BigDecimal> amountToNextTier() {
        return nextTier.map(next -> next.threshold().subtract(qualifyingSpend).max(BigDecimal.ZERO));
    }

    /** When the downgrade happens unless spend recovers: only while spend is under the tier's threshold. */
    public Optional<Instant> downgradeAt() {
        return status.belowSince() == null ? Optional.empty() : safeUntil;
    }
}
