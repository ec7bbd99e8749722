package dev.retention.insights.application;

import dev.retention.insights.config.InsightsConfig;
import dev.retention.insights.domain.ArmFigures;
import dev.retention.insights.domain.PointsFigures;
import dev.retention.insights.domain.RetentionFigures;
import dev.retention.insights.domain.Uplift;
import dev.retention.insights.persistence.InsightStore;
import dev.retention.insights.persistence.InsightStore.RedemptionCell;
import dev.retention.insights.persistence.InsightStore.UpliftCell;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** The measures for a range of months, from the aggregates alone (a few hundred rows at most, whatever the history). */
@ApplicationScoped
public class ReadInsights {

    /** How uplift figures are grouped: by trigger type, or by trigger type and campaign. */
    public enum Grouping { TRIGGER, CAMPAIGN }

    /** One group's experiment: both arms, the estimate, and the vouchers redeemed. */
    public record UpliftRow(String triggerType, String campaignId, Uplift uplift, long vouchersRedeemed,
                            BigDecimal discount) {
    }

    /** Tier counts at each month's end. */
    public record TierMonth(YearMonth month, SortedMap<String, Long> customers) {
    }

    /** Outstanding points of the customers now in a tier, and their value. */
    public record TierLiability(String tier, long available, long pending, BigDecimal liability) {
    }

    private final InsightStore store;
    private final Pool pool;
    private final ReportingCurrency currency;
    private final long minimumExposures;
    private final Clock clock;

    public ReadInsights(InsightStore store, Pool pool, ReportingCurrency currency, InsightsConfig config,
                        Clock clock) {
        this.store = store;
        this.pool = pool;
        this.currency = currency;
        this.minimumExposures = config.minimumExposuresPerArm();
        this.clock = clock;
    }

    public Uni<List<UpliftRow>> uplift(YearMonth from, YearMonth to, Grouping grouping) {
        return store.upliftCells(pool, from, to).chain(cells -> store.redemptions(pool, from, to)
                .map(redemptions -> upliftRows(cells, redemptions, grouping)));
    }

    private List<UpliftRow> upliftRows(List<UpliftCell> cells, List<RedemptionCell> redemptions, Grouping grouping) {
        record Arms(ArmFigures treated, ArmFigures heldOut, long redeemed, BigDecimal discount) {

            Arms plus(Arms other) {
                return new Arms(treated.plus(other.treated), heldOut.plus(other.heldOut), redeemed + other.redeemed,
                        discount.add(other.discount));
            }
        }
        SortedMap<String, Arms> groups = new TreeMap<>();
        for (UpliftCell cell : cells) {
            groups.merge(key(cell.triggerType(), cell.campaignId(), grouping), cell.heldOut()
                    ? new Arms(ArmFigures.NONE, cell.figures(), 0, BigDecimal.ZERO)
                    : new Arms(cell.figures(), ArmFigures.NONE, 0, BigDecimal.ZERO), Arms::plus);
        }
        for (RedemptionCell cell : redemptions) {
            groups.merge(key(cell.triggerType(), cell.campaignId(), grouping),
                    new Arms(ArmFigures.NONE, ArmFigures.NONE, cell.redeemed(), cell.discount()), Arms::plus);
        }
        List<UpliftRow> rows = new ArrayList<>();
        groups.forEach((key, arms) -> {
            String[] parts = key.split("\u0000", -1);
            rows.add(new UpliftRow(parts[0], grouping == Grouping.CAMPAIGN ? parts[1] : null,
                    Uplift.estimate(arms.treated(), arms.heldOut(), minimumExposures), arms.redeemed(),
                    arms.discount()));
        });
        return rows;
    }

    private static String key(String triggerType, String campaignId, Grouping grouping) {
        return triggerType + "\u0000" + (grouping == Grouping.CAMPAIGN ? campaignId : "");
    }

    public Uni<List<RetentionFigures.MonthFigures>> retention(YearMonth from, YearMonth to) {
        return store.retentionCounters(pool).map(counters -> RetentionFigures.months(counters, from, to));
    }

    public Uni<List<RetentionFigures.Cohort>> cohorts(YearMonth from, YearMonth to, YearMonth until) {
        return store.retentionCounters(pool).map(counters -> RetentionFigures.cohorts(counters, from, to, until));
    }

    public Uni<List<PointsFigures.MonthFigures>> points(YearMonth from, YearMonth to) {
        return store.pointsMonths(pool).map(months -> PointsFigures.months(months, from, to,
                month -> currency.pointValue(month.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC)
                        .minusNanos(1))));
    }

    public Uni<List<TierLiability>> liabilityByTier() {
        BigDecimal pointValue = currency.pointValue(clock.instant());
        return store.liabilityByTier(pool).map(byTier -> {
            List<TierLiability> rows = new ArrayList<>();
            byTier.forEach((tier, sums) -> rows.add(new TierLiability(tier, sums[0], sums[1],
                    PointsFigures.liability(sums[0] + sums[1], pointValue))));
            return rows;
        });
    }

    public Uni<List<TierMonth>> tiers(YearMonth from, YearMonth to) {
        return store.tierMonths(pool).map(months -> {
            SortedMap<String, Long> running = new TreeMap<>();
            List<TierMonth> rows = new ArrayList<>();
            for (Map.Entry<YearMonth, Map<String, Long>> month : months.entrySet()) {
                if (month.getKey().isAfter(to)) {
                    break;
                }
                if (month.getKey().isBefore(from)) {
                    month.getValue().forEach((tier, change) -> running.merge(tier, change, Long::sum));
                }
            }
            for (YearMonth month = from; !month.isAfter(to); month = month.plusMonths(1)) {
                months.getOrDefault(month, Map.of()).forEach((tier, change) -> running.merge(tier, change, Long::sum));
                rows.add(new TierMonth(month, new TreeMap<>(running)));
            }
            return rows;
        });
    }

    public String reportingCurrency() {
        return currency.code(clock.instant());
    }
}
