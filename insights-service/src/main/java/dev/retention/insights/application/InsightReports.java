package dev.retention.insights.application;

import dev.retention.insights.application.ReadInsights.Grouping;
import dev.retention.insights.application.ReadInsights.TierLiability;
import dev.retention.insights.application.ReadInsights.TierMonth;
import dev.retention.insights.application.ReadInsights.UpliftRow;
import dev.retention.insights.domain.ArmFigures;
import dev.retention.insights.domain.PointsFigures;
import dev.retention.insights.domain.RetentionFigures;
import dev.retention.insights.domain.Uplift;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.YearMonth;
import java.util.List;

/** Each measure as the API answers it and the daily snapshot carries it: one shape for both. */
@ApplicationScoped
public class InsightReports {

    /** The measures by the names the API paths and the snapshots use. */
    public static final List<String> MEASURES = List.of("uplift", "retention", "cohorts", "points", "tiers");

    public record Arm(long exposures, long converted, long sent, double conversionRate, BigDecimal revenue,
                      double revenuePerExposure) {

        static Arm of(ArmFigures figures) {
            return new Arm(figures.exposures(), figures.converted(), figures.sent(), round(figures.conversionRate()),
                    figures.revenue().setScale(2, RoundingMode.HALF_EVEN), round(figures.revenuePerExposure()));
        }
    }

    public record Difference(double estimate, double low, double high) {

        static Difference of(Uplift.Interval interval) {
            return interval == null ? null
                    : new Difference(round(interval.estimate()), round(interval.low()), round(interval.high()));
        }
    }

    public record UpliftView(String triggerType, String campaignId, Arm treated, Arm heldOut,
                             Difference conversionUplift, Difference revenueUpliftPerExposure, String notEnoughData,
                             long vouchersRedeemed, BigDecimal discount, String currency) {
    }

    public record UpliftReport(YearMonth from, YearMonth to, String method, List<UpliftView> rows) {
    }

    public record RetentionReport(List<RetentionFigures.MonthFigures> months) {
    }

    public record CohortReport(List<RetentionFigures.Cohort> cohorts) {
    }

    public record PointsReport(String currency, List<PointsFigures.MonthFigures> months, List<TierLiability> byTier) {
    }

    public record TierReport(List<TierMonth> months) {
    }

    private final ReadInsights read;

    public InsightReports(ReadInsights read) {
        this.read = read;
    }

    public String reportingCurrency() {
        return read.reportingCurrency();
    }

    public Uni<UpliftReport> uplift(YearMonth from, YearMonth to, Grouping grouping) {
        String currency = read.reportingCurrency();
        return read.uplift(from, to, grouping).map(rows -> new UpliftReport(from, to, Uplift.METHOD,
                rows.stream().map(row -> view(row, currency)).toList()));
    }

    public Uni<RetentionReport> retention(YearMonth from, YearMonth to) {
        return read.retention(from, to).map(RetentionReport::new);
    }

    /** The cohorts of first-order months from..to, each followed up to {@code until}. */
    public Uni<CohortReport> cohorts(YearMonth from, YearMonth to, YearMonth until) {
        return read.cohorts(from, to, until).map(CohortReport::new);
    }

    public Uni<PointsReport> points(YearMonth from, YearMonth to) {
        String currency = read.reportingCurrency();
        return read.points(from, to).chain(months -> read.liabilityByTier()
                .map(byTier -> new PointsReport(currency, months, byTier)));
    }

    public Uni<TierReport> tiers(YearMonth from, YearMonth to) {
        return read.tiers(from, to).map(TierReport::new);
    }

    /** A measure by name (one of {@link #MEASURES}) for the months from..to. */
    public Uni<Object> measure(String name, YearMonth from, YearMonth to) {
        return switch (name) {
            case "uplift" -> uplift(from, to, Grouping.TRIGGER).map(Object.class::cast);
            case "retention" -> retention(from, to).map(Object.class::cast);
            case "cohorts" -> cohorts(from, to, to).map(Object.class::cast);
            case "points" -> points(from, to).map(Object.class::cast);
            case "tiers" -> tiers(from, to).map(Object.class::cast);
            default -> throw new IllegalArgumentException("no measure " + name);
        };
    }

    private static UpliftView view(UpliftRow row, String currency) {
        Uplift uplift = row.uplift();
        return new UpliftView(row.triggerType(), row.campaignId(), Arm.of(uplift.treated()), Arm.of(uplift.heldOut()),
                Difference.of(uplift.conversion()), Difference.of(uplift.revenuePerExposure()),
                uplift.notEnoughData().orElse(null), row.vouchersRedeemed(),
                row.discount().setScale(2, RoundingMode.HALF_EVEN), currency);
    }

    /** Rates and differences to six decimals: enough for a percentage to four, and stable text across runs. */
    public static double round(double value) {
        return BigDecimal.valueOf(value).setScale(6, RoundingMode.HALF_EVEN).doubleValue();
    }
}
