package dev.retention.insights.domain;

import dev.retention.insights.domain.CustomerRetention.Counter;
import dev.retention.insights.domain.CustomerRetention.Kind;

import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Retention measures per month from the counters of {@link CustomerRetention}.
 *
 * <ul>
 *     <li>customer retention rate CRR = (E - N) / S: S customers active at the month's start, E at its end (the start
 *     of the next month), N new customers (first order in the month); absent while S is 0;</li>
 *     <li>repeat purchase rate: customers with two or more orders by the month's end, of all who ordered by then;</li>
 *     <li>cohorts: of the customers whose first order is in month c, the share who ordered again in each later
 *     month.</li>
 * </ul>
 */
public final class RetentionFigures {

    public record MonthFigures(YearMonth month, long activeAtStart, long activeAtEnd, long newCustomers,
                               Double retentionRate, long customersSoFar, long repeatCustomersSoFar,
                               Double repeatPurchaseRate) {
    }

    /**
     * A first-order month's customers and, for each later month (1 = the month after), the share who ordered; no
     * shares for a month without new customers.
     */
    public record Cohort(YearMonth firstOrderMonth, long customers, List<Double> orderedAgain) {
    }

    private RetentionFigures() {
    }

    public static List<MonthFigures> months(Map<Counter, Long> counters, YearMonth from, YearMonth to) {
        List<MonthFigures> figures = new ArrayList<>();
        long customersSoFar = 0;
        long repeatSoFar = 0;
        for (Map.Entry<Counter, Long> counter : counters.entrySet()) {
            if (counter.getKey().month().isBefore(from)) {
                customersSoFar += counter.getKey().kind() == Kind.NEW ? counter.getValue() : 0;
                repeatSoFar += counter.getKey().kind() == Kind.SECOND ? counter.getValue() : 0;
            }
        }
        for (YearMonth month = from; !month.isAfter(to); month = month.plusMonths(1)) {
            long start = get(counters, Kind.ACTIVE, month);
            long end = get(counters, Kind.ACTIVE, month.plusMonths(1));
            long newCustomers = get(counters, Kind.NEW, month);
            customersSoFar += newCustomers;
            repeatSoFar += get(counters, Kind.SECOND, month);
            figures.add(new MonthFigures(month, start, end, newCustomers,
                    start == 0 ? null : (double) (end - newCustomers) / start, customersSoFar, repeatSoFar,
                    customersSoFar == 0 ? null : (double) repeatSoFar / customersSoFar));
        }
        return figures;
    }

    /** The cohorts of first-order months {@code from} to {@code to}, each with its later months up to {@code until}. */
    public static List<Cohort> cohorts(Map<Counter, Long> counters, YearMonth from, YearMonth to, YearMonth until) {
        List<Cohort> cohorts = new ArrayList<>();
        for (YearMonth first = from; !first.isAfter(to); first = first.plusMonths(1)) {
            long customers = get(counters, Kind.NEW, first);
            List<Double> shares = new ArrayList<>();
            for (YearMonth later = first.plusMonths(1); customers > 0 && !later.isAfter(until);
                 later = later.plusMonths(1)) {
                long again = counters.getOrDefault(new Counter(Kind.COHORT, first, later), 0L);
                shares.add((double) again / customers);
            }
            cohorts.add(new Cohort(first, customers, shares));
        }
        return cohorts;
    }

    private static long get(Map<Counter, Long> counters, Kind kind, YearMonth month) {
        return counters.getOrDefault(new Counter(kind, month, month), 0L);
    }
}
