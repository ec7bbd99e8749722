package dev.retention.insights.domain;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static org.assertj.core.api.Assertions.assertThat;

class UpliftTest {

    /** An arm of n exposures of which the first {@code converted} converted with {@code revenue} each. */
    static ArmFigures arm(long n, long converted, String revenueEach) {
        ArmFigures figures = ArmFigures.NONE;
        for (long i = 0; i < n; i++) {
            figures = figures.plus(i < converted ? ArmFigures.of(true, true, new BigDecimal(revenueEach))
                    : ArmFigures.of(false, true, BigDecimal.ZERO));
        }
        return figures;
    }

    @Test
    void fivePointsMoreConversionIsFoundWithAnIntervalThatExcludesZero() {
        Uplift uplift = Uplift.estimate(arm(19_000, 4_750, "40.00"), arm(1_000, 200, "40.00"), 100);

        assertThat(uplift.notEnoughData()).isEmpty();
        assertThat(uplift.conversion().estimate()).isCloseTo(0.05, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(uplift.conversion().contains(0.05)).isTrue();
        assertThat(uplift.conversion().contains(0)).isFalse();
        // Revenue per exposure: 0.25 x 40 - 0.20 x 40 = 2.00.
        assertThat(uplift.revenuePerExposure().estimate()).isCloseTo(2.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(uplift.revenuePerExposure().contains(0)).isFalse();
    }

    @Test
    void noEffectGivesAnIntervalAroundZero() {
        Uplift uplift = Uplift.estimate(arm(19_000, 3_800, "40.00"), arm(1_000, 200, "40.00"), 100);

        assertThat(uplift.conversion().estimate()).isCloseTo(0, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(uplift.conversion().contains(0)).isTrue();
        assertThat(uplift.revenuePerExposure().contains(0)).isTrue();
    }

    @Test
    void belowTheMinimumSampleThereIsNoNumberButTheReason() {
        Uplift uplift = Uplift.estimate(arm(5_000, 1_000, "10.00"), arm(40, 10, "10.00"), 100);

        assertThat(uplift.conversion()).isNull();
        assertThat(uplift.notEnoughData()).contains(
                "not enough data yet: the held-out arm has 40 of the 100 exposures needed");
        assertThat(Uplift.estimate(arm(5_000, 1_000, "10.00"), arm(200, 3, "10.00"), 100).notEnoughData()).isPresent();
    }

    /** The interval is the textbook Wald one: estimate +- 1.96 x the unpooled standard error. */
    @Property(tries = 200)
    void theIntervalIsTheEstimatePlusMinusZTimesTheStandardError(@ForAll @IntRange(min = 100, max = 5000) int n1,
                                                                @ForAll @IntRange(min = 100, max = 5000) int n0,
                                                                @ForAll @IntRange(min = 5, max = 95) int percent1,
                                                                @ForAll @IntRange(min = 5, max = 95) int percent0) {
        long c1 = n1 * percent1 / 100;
        long c0 = n0 * percent0 / 100;
        Uplift uplift = Uplift.estimate(arm(n1, c1, "1"), arm(n0, c0, "1"), 100);
        double p1 = (double) c1 / n1;
        double p0 = (double) c0 / n0;
        double se = Math.sqrt(p1 * (1 - p1) / n1 + p0 * (1 - p0) / n0);

        assertThat(uplift.conversion().estimate()).isCloseTo(p1 - p0, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(uplift.conversion().high() - uplift.conversion().low())
                .isCloseTo(2 * Uplift.Z_95 * se, org.assertj.core.data.Offset.offset(1e-9));
        // Revenue 1 per conversion: the revenue difference is the conversion difference, its interval nearly so.
        assertThat(uplift.revenuePerExposure().estimate())
                .isCloseTo(p1 - p0, org.assertj.core.data.Offset.offset(1e-9));
    }
}
