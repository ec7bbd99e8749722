package dev.retention.insights.domain;

import java.math.BigDecimal;

/**
 * One arm of a trigger's experiment (treated or held out) over a range of months: how many exposures, how many
 * converted (an order within the conversion window), how many were sent a message, and the sum and sum of squares of
 * each exposure's revenue in the window (reporting currency), from which mean and variance follow.
 */
public record ArmFigures(long exposures, long converted, long sent, BigDecimal revenue, BigDecimal revenueSquares) {

    public static final ArmFigures NONE = new ArmFigures(0, 0, 0, BigDecimal.ZERO, BigDecimal.ZERO);

    public ArmFigures plus(ArmFigures other) {
        return new ArmFigures(exposures + other.exposures, converted + other.converted, sent + other.sent,
                revenue.add(other.revenue), revenueSquares.add(other.revenueSquares));
    }

    /** One exposure's contribution. */
    public static ArmFigures of(boolean converted, boolean sent, BigDecimal revenue) {
        return new ArmFigures(1, converted ? 1 : 0, sent ? 1 : 0, revenue, revenue.multiply(revenue));
    }

    /** What changes in the sums when an exposure goes from {@code before} to {@code after}. */
    public static ArmFigures change(ArmFigures before, ArmFigures after) {
        return new ArmFigures(after.exposures - before.exposures, after.converted - before.converted,
                after.sent - before.sent, after.revenue.subtract(before.revenue),
                after.revenueSquares.subtract(before.revenueSquares));
    }

    public boolean isZero() {
        return exposures == 0 && converted == 0 && sent == 0 && revenue.signum() == 0 && revenueSquares.signum() == 0;
    }

    public double conversionRate() {
        return exposures == 0 ? 0 : (double) converted / exposures;
    }

    public double revenuePerExposure() {
        return exposures == 0 ? 0 : revenue.doubleValue() / exposures;
    }

    /** The sample variance of the revenue per exposure (0 below two exposures). */
    public double revenueVariance() {
        if (exposures < 2) {
            return 0;
        }
        double mean = revenuePerExposure();
        double sumOfSquaredDeviations = revenueSquares.doubleValue() - exposures * mean * mean;
        return Math.max(0, sumOfSquaredDeviations / (exposures - 1));
    }
}
