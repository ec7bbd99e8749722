package dev.retention.insights.domain;

import dev.retention.insights.domain.CustomerRetention.Counter;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The retention counters kept by adding each customer's change equal what the definitions give from the raw orders,
 * in whatever order the orders arrive.
 */
class CustomerRetentionTest {

    private static final YearMonth START = YearMonth.of(2024, 1);
    private static final int ACTIVE_MONTHS = 12;

    /** Customers, each a list of order months as offsets from START. */
    @Provide
    Arbitrary<List<List<Integer>>> shops() {
        return Arbitraries.integers().between(0, 35).list().ofMinSize(1).ofMaxSize(8).list().ofMinSize(1).ofMaxSize(40);
    }

    @Property(tries = 200)
    void countersAddedOrderByOrderEqualTheDefinitionsInAnyArrivalOrder(@ForAll("shops") List<List<Integer>> customers,
                                                                      @ForAll @IntRange(min = 0, max = 1000) int seed) {
        Map<Counter, Long> incremental = new HashMap<>();
        Random random = new Random(seed);
        for (List<Integer> orders : customers) {
            List<Integer> arrival = new ArrayList<>(orders);
            Collections.shuffle(arrival, random);
            SortedMap<YearMonth, Integer> months = new TreeMap<>();
            for (int offset : arrival) {
                SortedMap<YearMonth, Integer> after = new TreeMap<>(months);
                after.merge(START.plusMonths(offset), 1, Integer::sum);
                CustomerRetention.change(months, after, ACTIVE_MONTHS)
                        .forEach((counter, change) -> incremental.merge(counter, change, Long::sum));
                months = after;
            }
        }
        YearMonth from = START;
        YearMonth to = START.plusMonths(40);
        List<RetentionFigures.MonthFigures> figures = RetentionFigures.months(incremental, from, to);
        for (RetentionFigures.MonthFigures month : figures) {
            assertThat(month.activeAtStart()).isEqualTo(activeAt(customers, month.month()));
            assertThat(month.activeAtEnd()).isEqualTo(activeAt(customers, month.month().plusMonths(1)));
            assertThat(month.newCustomers()).isEqualTo(customers.stream()
                    .filter(orders -> first(orders).equals(month.month())).count());
            assertThat(month.customersSoFar()).isEqualTo(customers.stream()
                    .filter(orders -> !first(orders).isAfter(month.month())).count());
            assertThat(month.repeatCustomersSoFar()).isEqualTo(customers.stream()
                    .filter(orders -> orders.stream().filter(o -> !START.plusMonths(o).isAfter(month.month()))
                            .count() >= 2).count());
            if (month.activeAtStart() > 0) {
                assertThat(month.retentionRate()).isEqualTo(
                        (double) (month.activeAtEnd() - month.newCustomers()) / month.activeAtStart());
            } else {
                assertThat(month.retentionRate()).isNull();
            }
        }
        for (RetentionFigures.Cohort cohort : RetentionFigures.cohorts(incremental, from, to, to)) {
            List<List<Integer>> members = customers.stream()
                    .filter(orders -> first(orders).equals(cohort.firstOrderMonth())).toList();
            assertThat(cohort.customers()).isEqualTo(members.size());
            assertThat(cohort.orderedAgain()).hasSize(members.isEmpty() ? 0 : (int) java.time.temporal.ChronoUnit.MONTHS
                    .between(cohort.firstOrderMonth(), to));
            for (int later = 1; later <= cohort.orderedAgain().size(); later++) {
                YearMonth month = cohort.firstOrderMonth().plusMonths(later);
                long again = members.stream().filter(orders -> orders.stream()
                        .anyMatch(o -> START.plusMonths(o).equals(month))).count();
                assertThat(cohort.orderedAgain().get(later - 1))
                        .isEqualTo((double) again / members.size());
            }
        }
    }

    /** Ordered in the ACTIVE_MONTHS months before {@code month}'s start. */
    private static long activeAt(List<List<Integer>> customers, YearMonth month) {
        return customers.stream().filter(orders -> orders.stream().map(START::plusMonths)
                .anyMatch(m -> m.isBefore(month) && !m.isBefore(month.minusMonths(ACTIVE_MONTHS)))).count();
    }

    private static YearMonth first(List<Integer> orders) {
        return START.plusMonths(Collections.min(orders));
    }

    @Property(tries = 100)
    void aCustomersCountersAreEachCountedOnce(@ForAll("shops") List<List<Integer>> customers) {
        for (List<Integer> orders : customers) {
            SortedMap<YearMonth, Integer> months = new TreeMap<>();
            orders.forEach(o -> months.merge(START.plusMonths(o), 1, Integer::sum));
            Set<Counter> counters = CustomerRetention.countersOf(months, ACTIVE_MONTHS);
            assertThat(counters).filteredOn(c -> c.kind() == CustomerRetention.Kind.NEW).hasSize(1);
            assertThat(counters).filteredOn(c -> c.kind() == CustomerRetention.Kind.SECOND)
                    .hasSize(orders.size() >= 2 ? 1 : 0);
            assertThat(new HashSet<>(counters)).hasSameSizeAs(counters);
        }
    }
}
