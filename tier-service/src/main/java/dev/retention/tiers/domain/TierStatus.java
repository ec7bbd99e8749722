package dev.retention.tiers.domain;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A customer's tier as it stands. {@code belowSince} is when qualifying spend fell under the current tier's
 * threshold (the grace period runs from then); {@code riskNotifiedFor} is the downgrade date already announced.
 */
public record TierStatus(String tier, Instant since, Instant belowSince, Instant riskNotifiedFor,
                         BigDecimal qualifyingSpend, Instant nextEvaluationAt) {

    public static TierStatus none() {
        return new TierStatus(null, null, null, null, BigDecimal.ZERO, null);
    }
}
