package dev.retention.tiers.domain;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A customer's tier as it stands. {@code belowSince} is when qualifying spend fell under the current tier's
 * threshold (the grace period runs from then); {@code riskNotifiedFor} is the downgrade date already announced.
 * Changes return a new status; {@link TierPolicy} decides which.
 */
public record TierStatus(String tier, Instant since, Instant belowSince, Instant riskNotifiedFor,
                         BigDecimal qualifyingSpend, Instant nextEvaluationAt) {

    public static TierStatus none() {
        return new TierStatus(null, null, null, null, BigDecimal.ZERO, null);
    }

    /** The first tier, held from {@code at}. */
    public TierStatus entered(String firstTier, Instant at) {
        return new TierStatus(firstTier, at, belowSince, riskNotifiedFor, qualifyingSpend, nextEvaluationAt);
    }

    /** Up or down to another tier at {@code at}: a grace period under the old tier's threshold is over. */
    public TierStatus movedTo(String otherTier, Instant at) {
        return new TierStatus(otherTier, at, null, riskNotifiedFor, qualifyingSpend, nextEvaluationAt);
    }

    /** Spend is under the tier's threshold at {@code at}; the grace period runs from the first such moment. */
    public TierStatus below(Instant at) {
        return belowSince != null ? this
                : new TierStatus(tier, since, at, riskNotifiedFor, qualifyingSpend, nextEvaluationAt);
    }

    /** Spend reaches the tier's threshold again: no grace period runs. */
    public TierStatus recovered() {
        return new TierStatus(tier, since, null, riskNotifiedFor, qualifyingSpend, nextEvaluationAt);
    }

    /** The downgrade due at {@code downgradeAt} has been announced. */
    public TierStatus warnedOf(Instant downgradeAt) {
        return new TierStatus(tier, since, belowSince, downgradeAt, qualifyingSpend, nextEvaluationAt);
    }

    public TierStatus withQualifyingSpend(BigDecimal spend) {
        return new TierStatus(tier, since, belowSince, riskNotifiedFor, spend, nextEvaluationAt);
    }

    public TierStatus withNextEvaluationAt(Instant next) {
        return new TierStatus(tier, since, belowSince, riskNotifiedFor, qualifyingSpend, next);
    }
}
