package dev.retention.points.domain;

import dev.retention.contracts.programme.ProgrammeDocument.CapPeriod;
import dev.retention.contracts.programme.ProgrammeDocument.CustomerLimit;
import dev.retention.contracts.programme.ProgrammeDocument.Offer;
import dev.retention.contracts.programme.ProgrammeDocument.Reward;
import dev.retention.contracts.programme.ProgrammeDocument.Window;
import dev.retention.points.domain.RewardEligibility.Customer;
import dev.retention.points.domain.RewardEligibility.Reason;
import dev.retention.points.domain.RewardEligibility.Refusal;
import dev.retention.points.domain.RewardEligibility.Verdict;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Who may take a reward now, and every reason why not. */
class RewardEligibilityTest {

    static final List<String> TIERS = List.of("bronze", "silver", "gold");
    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    static final Instant NOW = Instant.parse("2031-03-15T10:00:00Z");
    static final Offer TEN_EUR = new Offer(Map.of("EUR", new BigDecimal("10.00")), null, null, false, Map.of(),
            Duration.ofDays(30));

    static Reward reward(long price, Window window, Long stock, CustomerLimit limit, String minimumTier) {
        return new Reward("r-1", "10 EUR off", "a voucher", price, window, stock, limit, minimumTier, TEN_EUR, null);
    }

    @Example
    void aCustomerWithEnoughPointsTakesAnUnboundedReward() {
        Verdict verdict = RewardEligibility.judge(reward(500, null, null, null, null),
                new Customer(500, null, 0, null), TIERS, NOW);

        assertThat(verdict.eligible()).isTrue();
    }

    @Example
    void everyReasonIsNamedInOrderWithItsDetail() {
        Reward reward = reward(500, new Window(null, NOW), 10L, new CustomerLimit(2, CapPeriod.MONTH), "gold");

        Verdict verdict = RewardEligibility.judge(reward, new Customer(120, "silver", 2, 0L), TIERS, NOW);

        assertThat(verdict.refusals()).containsExactly(
                new Refusal(Reason.WINDOW, "no longer available since " + NOW),
                new Refusal(Reason.TIER, "needs tier gold or higher"),
                new Refusal(Reason.LIMIT, "2 of 2 this month"),
                new Refusal(Reason.STOCK, "sold out"),
                new Refusal(Reason.POINTS, "missing 380 points"));
    }

    @Example
    void aWindowNotOpenYetSaysFromWhen() {
        Instant opens = NOW.plusSeconds(3600);
        Verdict verdict = RewardEligibility.judge(reward(1, new Window(opens, null), null, null, null),
                new Customer(10, null, 0, null), TIERS, NOW);

        assertThat(verdict.refusals()).containsExactly(new Refusal(Reason.WINDOW, "available from " + opens));
    }

    @Example
    void noTierAndAnUnknownTierCountAsTheLowest() {
        Reward forBronze = reward(1, null, null, null, "bronze");
        Reward forSilver = reward(1, null, null, null, "silver");

        assertThat(RewardEligibility.judge(forBronze, new Customer(10, null, 0, null), TIERS, NOW).eligible())
                .isTrue();
        assertThat(RewardEligibility.judge(forSilver, new Customer(10, null, 0, null), TIERS, NOW).eligible())
                .isFalse();
        assertThat(RewardEligibility.judge(forSilver, new Customer(10, "platinum", 0, null), TIERS, NOW).eligible())
                .isFalse();
    }

    @Example
    void aMonthlyLimitsPeriodStartsAtMidnightOfTheFirstInTheProgrammesZone() {
        Reward monthly = reward(1, null, null, new CustomerLimit(1, CapPeriod.MONTH), null);
        // 1 April 00:30 in Berlin is still 31 March in UTC: the period is April's.
        Instant earlyApril = Instant.parse("2031-03-31T22:30:00Z");

        assertThat(RewardEligibility.periodStart(monthly, earlyApril, BERLIN))
                .isEqualTo(Instant.parse("2031-03-31T22:00:00Z"));
        assertThat(RewardEligibility.periodStart(reward(1, null, null, new CustomerLimit(1, CapPeriod.WEEK), null),
                NOW, BERLIN)).isEqualTo(Instant.parse("2031-03-09T23:00:00Z")); // Monday 10 March, CET
        assertThat(RewardEligibility.periodStart(reward(1, null, null, new CustomerLimit(1, null), null), NOW, BERLIN))
                .isNull();
    }

    @Property(tries = 1000)
    void eachReasonAppearsExactlyWhenItsConditionHolds(@ForAll("rewards") Reward reward,
                                                       @ForAll("customers") Customer customer,
                                                       @ForAll("times") Instant now) {
        List<Reason> reasons = RewardEligibility.judge(reward, customer, TIERS, now).refusals().stream()
                .map(Refusal::reason).toList();

        List<Reason> expected = new ArrayList<>();
        if (reward.available() != null && !reward.available().contains(now)) {
            expected.add(Reason.WINDOW);
        }
        if (reward.minimumTier() != null
                && TIERS.indexOf(reward.minimumTier()) > (customer.tier() == null ? 0 : Math.max(0, TIERS.indexOf(customer.tier())))) {
            expected.add(Reason.TIER);
        }
        if (reward.perCustomer() != null && customer.redeemedInPeriod() >= reward.perCustomer().count()) {
            expected.add(Reason.LIMIT);
        }
        if (customer.stockLeft() != null && customer.stockLeft() == 0) {
            expected.add(Reason.STOCK);
        }
        if (customer.available() < reward.price()) {
            expected.add(Reason.POINTS);
        }
        assertThat(reasons).isEqualTo(expected);
    }

    @Property(tries = 500)
    void moreOfAnythingTheCustomerHasNeverRefusesMore(@ForAll("rewards") Reward reward,
                                                      @ForAll("customers") Customer customer,
                                                      @ForAll @LongRange(min = 0, max = 5000) long morePoints) {
        Customer richer = new Customer(customer.available() + morePoints, "gold", 0,
                customer.stockLeft() == null ? null : customer.stockLeft() + 1);

        List<Reason> before = reasons(reward, customer);
        List<Reason> after = reasons(reward, richer);

        assertThat(before).containsAll(after);
    }

    @Property(tries = 500)
    void thePeriodStartIsAtOrBeforeNowAndLessThanAYearBack(@ForAll CapPeriod period, @ForAll("times") Instant now) {
        Instant start = RewardEligibility.periodStart(reward(1, null, null, new CustomerLimit(1, period), null), now,
                BERLIN);

        assertThat(start).isBeforeOrEqualTo(now);
        assertThat(Duration.between(start, now)).isLessThan(Duration.ofDays(367));
        assertThat(start.atZone(BERLIN).toLocalTime()).isEqualTo(java.time.LocalTime.MIDNIGHT);
        // The same instant's period always starts at the same midnight: the limit counts one calendar period.
        assertThat(RewardEligibility.periodStart(reward(1, null, null, new CustomerLimit(1, period), null), start,
                BERLIN)).isEqualTo(start);
    }

    @Property(tries = 300)
    void stockLeftIsNeverNegativeAndUnlimitedStaysUnlimited(@ForAll @LongRange(min = 0, max = 100) long stock,
                                                            @ForAll @LongRange(min = 0, max = 200) long taken) {
        assertThat(RewardEligibility.stockLeft(stock, taken)).isEqualTo(Math.max(0, stock - taken));
        assertThat(RewardEligibility.stockLeft(null, taken)).isNull();
    }

    private static List<Reason> reasons(Reward reward, Customer customer) {
        return RewardEligibility.judge(reward, customer, TIERS, NOW).refusals().stream().map(Refusal::reason).toList();
    }

    @Provide
    Arbitrary<Reward> rewards() {
        Arbitrary<Window> windows = Combinators.combine(times().injectNull(0.5), times().injectNull(0.5))
                .as((a, b) -> a != null && b != null && b.isBefore(a) ? new Window(b, a) : new Window(a, b))
                .injectNull(0.4);
        Arbitrary<CustomerLimit> limits = Combinators.combine(Arbitraries.integers().between(1, 5),
                Arbitraries.of(CapPeriod.class).injectNull(0.3)).as(CustomerLimit::new).injectNull(0.4);
        return Combinators.combine(Arbitraries.longs().between(1, 3000), windows,
                        Arbitraries.longs().between(0, 20).injectNull(0.4), limits,
                        Arbitraries.of(TIERS).injectNull(0.4))
                .as(RewardEligibilityTest::reward);
    }

    @Provide
    Arbitrary<Customer> customers() {
        return Combinators.combine(Arbitraries.longs().between(0, 4000),
                        Arbitraries.of("bronze", "silver", "gold", "platinum").injectNull(0.3),
                        Arbitraries.longs().between(0, 6), Arbitraries.longs().between(0, 5).injectNull(0.4))
                .as(Customer::new);
    }

    @Provide
    Arbitrary<Instant> times() {
        return Arbitraries.longs().between(NOW.minus(Duration.ofDays(400)).getEpochSecond(),
                NOW.plus(Duration.ofDays(400)).getEpochSecond()).map(Instant::ofEpochSecond);
    }
}
