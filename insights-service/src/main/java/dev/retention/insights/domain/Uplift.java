package dev.retention.insights.domain;

import java.util.Optional;

/**
 * What a trigger changes: the treated arm's conversion (and revenue per exposure) minus the held-out arm's, each with a
 * 95 % confidence interval by the normal approximation with unpooled variances (Wald for the difference of two
 * proportions, Welch's standard error for the difference of two means). Below the minimum sample the estimate is
 * withheld with the reason, rather than a number that means nothing.
 *
 * @param notEnoughData why there is no estimate yet; empty when there is one
 */
public record Uplift(ArmFigures treated, ArmFigures heldOut, Optional<String> notEnoughData,
                     Interval conversion, Interval revenuePerExposure) {

    /** The method, as the API and the snapshots name it. */
    public static final String METHOD = "difference of proportions (Wald, unpooled) and of means (Welch), normal "
            + "approximation, 95 % two-sided";
    /** z for a two-sided 95 % interval. */
    public static final double Z_95 = 1.959963984540054;
    /** The normal approximation wants at least this many conversions and non-conversions in each arm. */
    public static final long MINIMUM_OUTCOMES = 5;

    /** A difference and its 95 % interval. */
    public record Interval(double estimate, double low, double high) {

        public boolean contains(double value) {
            return low <= value && value <= high;
        }
    }

    public static Uplift estimate(ArmFigures treated, ArmFigures heldOut, long minimumExposuresPerArm) {
        Optional<String> missing = missing(treated, heldOut, minimumExposuresPerArm);
        if (missing.isPresent()) {
            return new Uplift(treated, heldOut, missing, null, null);
        }
        double p1 = treated.conversionRate();
        double p0 = heldOut.conversionRate();
        double conversionError = Math.sqrt(p1 * (1 - p1) / treated.exposures() + p0 * (1 - p0) / heldOut.exposures());
        double revenueDifference = treated.revenuePerExposure() - heldOut.revenuePerExposure();
        double revenueError = Math.sqrt(treated.revenueVariance() / treated.exposures()
                + heldOut.revenueVariance() / heldOut.exposures());
        return new Uplift(treated, heldOut, Optional.empty(), interval(p1 - p0, conversionError),
                interval(revenueDifference, revenueError));
    }

    private static Interval interval(double estimate, double standardError) {
        return new Interval(estimate, estimate - Z_95 * standardError, estimate + Z_95 * standardError);
    }

    private static Optional<String> missing(ArmFigures treated, ArmFigures heldOut, long minimumExposures) {
        return missing("treated", treated, minimumExposures).or(() -> missing("held-out", heldOut, minimumExposures));
    }

    private static Optional<String> missing(String arm, ArmFigures figures, long minimumExposures) {
        if (figures.exposures() < minimumExposures) {
            return Optional.of("not enough data yet: the " + arm + " arm has " + figures.exposures() + " of the "
                    + minimumExposures + " exposures needed");
        }
        if (figures.converted() < MINIMUM_OUTCOMES || figures.exposures() - figures.converted() < MINIMUM_OUTCOMES) {
            return Optional.of("not enough data yet: the " + arm + " arm needs at least " + MINIMUM_OUTCOMES
                    + " conversions and " + MINIMUM_OUTCOMES + " exposures without one");
        }
        return Optional.empty();
    }
}
