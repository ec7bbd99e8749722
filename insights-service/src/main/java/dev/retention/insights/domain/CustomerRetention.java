package dev.retention.insights.domain;

import java.time.YearMonth;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;

/**
 * The retention counters one customer adds to, from the months in which they ordered (UTC calendar months). The
 * aggregates are sums of these over customers, kept up to date by adding the change a customer's new orders make:
 * the cost of an order is one customer's months, whatever the history, and an order that arrives late (placed before
 * others already counted) moves the customer's counters where they belong.
 *
 * <ul>
 *     <li>{@code NEW(m)}: the customer's first order is in month m;</li>
 *     <li>{@code SECOND(m)}: their second order is in month m (a repeat customer from then on);</li>
 *     <li>{@code ACTIVE(m)}: active at the start of month m, having ordered in the {@code activeMonths} months
 *     before;</li>
 *     <li>{@code COHORT(c, m)}: first order in month c, and an order again in the later month m.</li>
 * </ul>
 */
public final class CustomerRetention {

    public enum Kind { NEW, SECOND, ACTIVE, COHORT }

    /** One counter; {@code otherMonth} is the later month of a cohort cell, and {@code month} for the other kinds. */
    public record Counter(Kind kind, YearMonth month, YearMonth otherMonth) {

        static Counter of(Kind kind, YearMonth month) {
            return new Counter(kind, month, month);
        }
    }

    private CustomerRetention() {
    }

    /** The counters a customer with these orders per month counts in, once each. */
    public static Set<Counter> countersOf(SortedMap<YearMonth, Integer> ordersByMonth, int activeMonths) {
        Set<Counter> counters = new HashSet<>();
        if (ordersByMonth.isEmpty()) {
            return counters;
        }
        YearMonth first = ordersByMonth.firstKey();
        counters.add(Counter.of(Kind.NEW, first));
        int ordersSoFar = 0;
        for (Map.Entry<YearMonth, Integer> month : ordersByMonth.entrySet()) {
            if (month.getValue() <= 0) {
                continue;
            }
            if (ordersSoFar < 2 && ordersSoFar + month.getValue() >= 2) {
                counters.add(Counter.of(Kind.SECOND, month.getKey()));
            }
            ordersSoFar += month.getValue();
            for (int later = 1; later <= activeMonths; later++) {
                counters.add(Counter.of(Kind.ACTIVE, month.getKey().plusMonths(later)));
            }
            if (month.getKey().isAfter(first)) {
                counters.add(new Counter(Kind.COHORT, first, month.getKey()));
            }
        }
        return counters;
    }

    /** What the aggregates gain (+1) and lose (-1) when a customer's months go from {@code before} to {@code after}. */
    public static Map<Counter, Long> change(SortedMap<YearMonth, Integer> before, SortedMap<YearMonth, Integer> after,
                                            int activeMonths) {
        Set<Counter> was = countersOf(before, activeMonths);
        Set<Counter> is = countersOf(after, activeMonths);
        Map<Counter, Long> change = new HashMap<>();
        for (Counter counter : is) {
            if (!was.contains(counter)) {
                change.put(counter, 1L);
            }
        }
        for (Counter counter : was) {
            if (!is.contains(counter)) {
                change.put(counter, -1L);
            }
        }
        return change;
    }
}
