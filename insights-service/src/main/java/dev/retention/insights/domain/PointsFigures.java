package dev.retention.insights.domain;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Points per month from the ledger's entries (points.changed, signed) summed by kind:
 *
 * <ul>
 *     <li>issued: EARNED_PENDING + EARNED + BONUS (a release of pending points issues nothing new);</li>
 *     <li>redeemed: the debits of REDEEMED less what REFUNDED gave back;</li>
 *     <li>expired: the debits of EXPIRED; reversed: of REVERSED (a cancelled or returned order's points);</li>
 *     <li>breakage rate: expired / issued in the month (absent when nothing was issued);</li>
 *     <li>outstanding: available + pending of every customer at the month's end, and the liability it stands for in
 *     the reporting currency (points x the value of a point in the programme version in force then).</li>
 * </ul>
 */
public final class PointsFigures {

    /** The pseudo-kind of a month's change of available + pending over all customers. */
    public static final String OUTSTANDING = "OUTSTANDING";

    public record MonthFigures(YearMonth month, long issued, long redeemed, long expired, long reversed, long adjusted,
                               Double breakageRate, long outstanding, BigDecimal liability) {
    }

    private PointsFigures() {
    }

    /**
     * @param byMonthAndKind every month's sum per kind, from the first month on (the outstanding points add up from it)
     * @param pointValue     the value of a point in the reporting currency at a month's end
     */
    public static List<MonthFigures> months(Map<YearMonth, Map<String, Long>> byMonthAndKind, YearMonth from,
                                            YearMonth to, Function<YearMonth, BigDecimal> pointValue) {
        long outstanding = 0;
        for (Map.Entry<YearMonth, Map<String, Long>> month : byMonthAndKind.entrySet()) {
            if (month.getKey().isBefore(from)) {
                outstanding += month.getValue().getOrDefault(OUTSTANDING, 0L);
            }
        }
        List<MonthFigures> figures = new ArrayList<>();
        for (YearMonth month = from; !month.isAfter(to); month = month.plusMonths(1)) {
            Map<String, Long> kinds = byMonthAndKind.getOrDefault(month, Map.of());
            long issued = kinds.getOrDefault("EARNED_PENDING", 0L) + kinds.getOrDefault("EARNED", 0L)
                    + kinds.getOrDefault("BONUS", 0L);
            long redeemed = -(kinds.getOrDefault("REDEEMED", 0L) + kinds.getOrDefault("REFUNDED", 0L));
            long expired = -kinds.getOrDefault("EXPIRED", 0L);
            long reversed = -kinds.getOrDefault("REVERSED", 0L);
            outstanding += kinds.getOrDefault(OUTSTANDING, 0L);
            figures.add(new MonthFigures(month, issued, redeemed, expired, reversed,
                    kinds.getOrDefault("ADJUSTED", 0L), issued == 0 ? null : (double) expired / issued, outstanding,
                    liability(outstanding, pointValue.apply(month))));
        }
        return figures;
    }

    public static BigDecimal liability(long points, BigDecimal pointValue) {
        return pointValue.multiply(BigDecimal.valueOf(points)).setScale(2, RoundingMode.HALF_EVEN);
    }
}
