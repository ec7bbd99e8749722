package dev.retention.points.domain;

import dev.retention.contracts.events.OrderPlaced;
import dev.retention.contracts.programme.ProgrammeDocument.CapPeriod;
import dev.retention.contracts.programme.ProgrammeDocument.Caps;
import dev.retention.contracts.programme.ProgrammeDocument.Conditions;
import dev.retention.contracts.programme.ProgrammeDocument.EarningRule;
import dev.retention.contracts.programme.ProgrammeDocument.Effect;
import dev.retention.contracts.programme.ProgrammeDocument.EffectType;
import dev.retention.contracts.programme.ProgrammeDocument.Stacking;
import dev.retention.contracts.programme.ProgrammeDocument.Window;
import dev.retention.testsupport.TestEvents;
import dev.retention.testsupport.TestEvents.OrderPlacedBuilder;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Every condition, effect, cap, stacking mode and rounding rule of the earning rules (docs/programme.md). */
class EarningRulesTest {

    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    /** A Wednesday. */
    static final Instant T0 = Instant.parse("2026-03-04T10:00:00Z");

    // --- conditions -------------------------------------------------------------------------------------------------

    @Test
    void channelConditionHoldsOnlyForTheListedChannels() {
        EarningRule app = rule("app", when().channels(List.of("app")), fixedPerOrder(10));

        assertThat(points(List.of(app), order().channel("app"))).containsExactly(part("app", 10));
        assertThat(points(List.of(app), order().channel("web"))).isEmpty();
    }

    @Test
    void skuListChoosesTheQualifyingLines() {
        EarningRule skus = rule("skus", when().skus(List.of("tea-1", "tea-2")), pointsPerUnit("1"));

        assertThat(points(List.of(skus), order().line("tea-1", 1, "10.00").line("mug", 1, "30.00")))
                .containsExactly(part("skus", 10));
        assertThat(points(List.of(skus), order().line("mug", 1, "30.00"))).isEmpty();
    }

    @Test
    void skuPrefixChoosesTheQualifyingLines() {
        EarningRule prefix = rule("tea", when().skuPrefixes(List.of("tea-")), pointsPerUnit("2"));

        assertThat(points(List.of(prefix), order().line("tea-green", 2, "5.00").line("teapot", 1, "40.00")))
                .containsExactly(part("tea", 20));
    }

    @Test
    void lineCategoryChoosesTheQualifyingLinesAndLinesWithoutCategoryDoNotQualify() {
        EarningRule books = rule("books", when().categories(List.of("books")), fixedPerLine(5));

        assertThat(points(List.of(books), order().line("b-1", 1, "10.00", "books").line("b-2", 3, "10.00", "books")
                .line("m-1", 1, "10.00", "music").line("x", 1, "10.00")))
                .containsExactly(part("books", 10));
    }

    @Test
    void aLineQualifiesWhenItMatchesAnyOfSkusPrefixesOrCategories() {
        EarningRule any = rule("any", when().skus(List.of("a")).skuPrefixes(List.of("pre-")).categories(List.of("c")),
                fixedPerLine(1));

        assertThat(points(List.of(any), order().line("a", 1, "1.00").line("pre-x", 1, "1.00")
                .line("z", 1, "1.00", "c").line("no", 1, "1.00"))).containsExactly(part("any", 3));
    }

    @Test
    void minimumOrderValueIsPerCurrencyAndAnUnlistedCurrencyNeverReachesIt() {
        EarningRule big = rule("big", when().minimumOrderValue(Map.of("EUR", new BigDecimal("50.00"))),
                fixedPerOrder(100));

        assertThat(points(List.of(big), order().line("x", 1, "50.00"))).containsExactly(part("big", 100));
        assertThat(points(List.of(big), order().line("x", 1, "49.99"))).isEmpty();
        assertThat(points(List.of(big), order().currency("USD").line("x", 1, "500.00"))).isEmpty();
    }

    @Test
    void tierConditionUsesTheTierAtOrderTimeAndNoKnownTierCountsAsTheLowest() {
        EarningRule silver = rule("silver", when().tiers(List.of("silver")), fixedPerOrder(7));
        EarningRule bronze = rule("bronze", when().tiers(List.of("bronze")), fixedPerOrder(3));

        assertThat(points(List.of(silver, bronze), order(), "silver", true)).containsExactly(part("silver", 7));
        assertThat(points(List.of(silver, bronze), order(), null, true)).containsExactly(part("bronze", 3));
    }

    @Test
    void timeWindowIncludesItsStartAndExcludesItsEnd() {
        Instant from = T0;
        Instant until = T0.plusSeconds(3600);
        EarningRule window = rule("window", when().window(new Window(from, until)), fixedPerOrder(1));

        assertThat(points(List.of(window), order().placedAt(from))).hasSize(1);
        assertThat(points(List.of(window), order().placedAt(until.minusMillis(1)))).hasSize(1);
        assertThat(points(List.of(window), order().placedAt(until))).isEmpty();
        assertThat(points(List.of(window), order().placedAt(from.minusMillis(1)))).isEmpty();
        EarningRule openEnded = rule("open", when().window(new Window(from, null)), fixedPerOrder(1));
        assertThat(points(List.of(openEnded), order().placedAt(from.plusSeconds(999_999_999)))).hasSize(1);
    }

    @Test
    void dayOfWeekIsTheDayInTheProgrammesTimeZone() {
        EarningRule sunday = rule("sunday", when().daysOfWeek(List.of(DayOfWeek.SUNDAY)), fixedPerOrder(1));
        // Saturday 23:30 UTC is Sunday 00:30 in Berlin.
        Instant saturdayNightUtc = Instant.parse("2026-03-07T23:30:00Z");

        assertThat(points(List.of(sunday), order().placedAt(saturdayNightUtc))).hasSize(1);
        assertThat(points(List.of(sunday), order().placedAt(Instant.parse("2026-03-07T22:30:00Z")))).isEmpty();
    }

    @Test
    void firstOrderConditionTellsTheFirstOrderFromLaterOnes() {
        EarningRule first = rule("first", when().firstOrder(true), fixedPerOrder(50));
        EarningRule later = rule("later", when().firstOrder(false), fixedPerOrder(5));

        assertThat(points(List.of(first, later), order(), null, true)).containsExactly(part("first", 50));
        assertThat(points(List.of(first, later), order(), null, false)).containsExactly(part("later", 5));
    }

    @Test
    void aRuleWithoutConditionsAppliesToEveryOrder() {
        assertThat(points(List.of(rule("all", null, fixedPerOrder(2))), order())).containsExactly(part("all", 2));
    }

    // --- effects ----------------------------------------------------------------------------------------------------

    @Test
    void pointsPerUnitGivesExtraPointsOnTheQualifyingValueRoundedDown() {
        EarningRule extra = rule("extra", when().skus(List.of("a")), pointsPerUnit("1.5"));

        assertThat(points(List.of(extra), order().line("a", 1, "9.99").line("b", 1, "100.00")))
                .containsExactly(part("extra", 14)); // 9.99 x 1.5 = 14.985
    }

    @Test
    void thePartPaidWithPointsEarnsNoRulePointsEither() {
        EarningRule extra = rule("extra", null, pointsPerUnit("1"));

        // 100.00 merchandise, 20.00 of it paid with points: 80 qualify.
        assertThat(points(List.of(extra), order().line("a", 1, "100.00").pointsRedeemed(2000, "20.00")))
                .containsExactly(part("extra", 80));
        // A chosen line keeps the order's eligible share (80 %) of its value.
        EarningRule line = rule("line", when().skus(List.of("a")), pointsPerUnit("1"));
        assertThat(points(List.of(line), order().line("a", 1, "50.00").line("b", 1, "50.00")
                .pointsRedeemed(2000, "20.00"))).containsExactly(part("line", 40));
    }

    @Test
    void multiplierGivesTheQualifyingBasePointsTimesTheValueOfWhichTheBaseGaveOnce() {
        PointsRules rules = rules(Stacking.SUM, List.of(rule("double", null, multiplier("2"))));
        PointsAccount account = PointsAccount.open("c-1");

        List<LedgerEntry> entries = rules.orderPlaced(account, OrderPoints.unknown("o-1", "c-1"),
                order().line("a", 1, "40.00").build().data(), null, RuleUsage.none(), "e-1", T0);

        assertThat(entries.get(0).points()).isEqualTo(80);
        assertThat(entries.get(0).rules()).containsExactly(part(RulePoints.BASE, 40), part("double", 40));
    }

    @Test
    void multiplierOnChosenLinesMultipliesOnlyTheirBasePoints() {
        EarningRule triple = rule("triple", when().categories(List.of("tea")), multiplier("3"));

        assertThat(points(List.of(triple), order().line("t", 1, "10.00", "tea").line("m", 1, "90.00", "mugs")))
                .containsExactly(part("triple", 20));
    }

    @Test
    void fixedPerOrderGivesItsValueOnceAndFixedPerLineOncePerQualifyingLineWhateverTheQuantity() {
        assertThat(points(List.of(rule("order", null, fixedPerOrder(25))), order().line("a", 5, "1.00")
                .line("b", 1, "1.00"))).containsExactly(part("order", 25));
        assertThat(points(List.of(rule("line", null, fixedPerLine(25))), order().line("a", 5, "1.00")
                .line("b", 1, "1.00"))).containsExactly(part("line", 50));
    }

    @Test
    void fractionalFixedValuesRoundDownPerRule() {
        EarningRule perLine = rule("line", null, new Effect(EffectType.FIXED_PER_LINE, new BigDecimal("2.5")));

        assertThat(points(List.of(perLine), order().line("a", 1, "1").line("b", 1, "1").line("c", 1, "1")))
                .containsExactly(part("line", 7));
    }

    // --- caps -------------------------------------------------------------------------------------------------------

    @Test
    void perOrderCapBoundsTheRulesPointsAfterRounding() {
        EarningRule capped = rule("capped", null, pointsPerUnit("1"), new Caps(30L, null, null));

        assertThat(points(List.of(capped), order().line("a", 1, "100.00"))).containsExactly(part("capped", 30));
        assertThat(points(List.of(capped), order().line("a", 1, "20.99"))).containsExactly(part("capped", 20));
    }

    @Test
    void perCustomerCapBoundsTheRulesPointsWithinTheCalendarPeriodAndStartsAgainInTheNext() {
        EarningRule weekly = rule("weekly", null, fixedPerOrder(40), new Caps(null, 100L, CapPeriod.WEEK));
        EarningRules rules = new EarningRules(Stacking.SUM, List.of(weekly), BERLIN, "bronze");
        RuleUsage usage = RuleUsage.none();
        Instant wednesday = T0;
        // Sunday 23:30 in Berlin is still the same week; Monday 00:30 in Berlin (Sunday 23:30 UTC) is the next.
        Instant sundayNight = Instant.parse("2026-03-08T22:30:00Z");
        Instant mondayInBerlin = Instant.parse("2026-03-08T23:30:00Z");

        assertThat(apply(rules, order().placedAt(wednesday), usage)).containsExactly(part("weekly", 40));
        assertThat(apply(rules, order().placedAt(wednesday), usage)).containsExactly(part("weekly", 40));
        assertThat(apply(rules, order().placedAt(sundayNight), usage)).containsExactly(part("weekly", 20));
        assertThat(apply(rules, order().placedAt(sundayNight), usage)).containsExactly(part("weekly", 0));
        assertThat(apply(rules, order().placedAt(mondayInBerlin), usage)).containsExactly(part("weekly", 40));
        assertThat(usage.changed()).containsEntry(
                new RuleUsage.Key("c-1", "weekly", CapPeriod.WEEK, LocalDate.parse("2026-03-02")), 100L);
        assertThat(usage.changed()).containsEntry(
                new RuleUsage.Key("c-1", "weekly", CapPeriod.WEEK, LocalDate.parse("2026-03-09")), 40L);
    }

    @Test
    void periodsAreCalendarDaysWeeksMonthsAndYearsInTheProgrammesZone() {
        Instant newYearsEveUtc = Instant.parse("2026-12-31T23:30:00Z"); // 2027-01-01 00:30 in Berlin

        assertThat(EarningRules.periodStart(CapPeriod.DAY, newYearsEveUtc, BERLIN)).isEqualTo("2027-01-01");
        assertThat(EarningRules.periodStart(CapPeriod.WEEK, newYearsEveUtc, BERLIN)).isEqualTo("2026-12-28");
        assertThat(EarningRules.periodStart(CapPeriod.MONTH, newYearsEveUtc, BERLIN)).isEqualTo("2027-01-01");
        assertThat(EarningRules.periodStart(CapPeriod.YEAR, newYearsEveUtc, BERLIN)).isEqualTo("2027-01-01");
        assertThat(EarningRules.periodStart(CapPeriod.YEAR, newYearsEveUtc, ZoneId.of("UTC"))).isEqualTo("2026-01-01");
    }

    @Test
    void perCustomerCapsAreCountedPerCustomer() {
        EarningRule daily = rule("daily", null, fixedPerOrder(10), new Caps(null, 10L, CapPeriod.DAY));
        EarningRules rules = new EarningRules(Stacking.SUM, List.of(daily), BERLIN, "bronze");
        RuleUsage usage = RuleUsage.none();

        assertThat(apply(rules, order(), usage)).containsExactly(part("daily", 10));
        assertThat(rules.apply(new EarningRules.Order("c-2", order().build().data(), new BigDecimal("25.00"),
                BigDecimal.ONE, null, true), usage)).containsExactly(part("daily", 10));
    }

    // --- stacking ---------------------------------------------------------------------------------------------------

    @Test
    void sumKeepsEveryMatchingRuleInTheListedOrder() {
        List<EarningRule> three = List.of(rule("a", null, fixedPerOrder(5)), rule("b", null, fixedPerOrder(9)),
                rule("c", when().channels(List.of("app")), fixedPerOrder(100)), rule("d", null, fixedPerOrder(1)));

        assertThat(points(Stacking.SUM, three, order())).containsExactly(part("a", 5), part("b", 9), part("d", 1));
    }

    @Test
    void highestKeepsTheRuleGivingMostAfterItsCapsAndTheFirstListedWinsATie() {
        List<EarningRule> rules = List.of(rule("a", null, fixedPerOrder(5)),
                rule("capped", null, fixedPerOrder(100), new Caps(6L, null, null)),
                rule("b", null, fixedPerOrder(9)), rule("tie", null, fixedPerOrder(9)));

        assertThat(points(Stacking.HIGHEST, rules, order())).containsExactly(part("b", 9));
    }

    @Test
    void firstMatchStopsAtTheFirstMatchingRuleEvenWhenItsCapsLeaveItNothing() {
        EarningRule exhausted = rule("exhausted", null, fixedPerOrder(10), new Caps(null, 10L, CapPeriod.DAY));
        List<EarningRule> rules = List.of(rule("app", when().channels(List.of("app")), fixedPerOrder(50)),
                exhausted, rule("later", null, fixedPerOrder(99)));
        EarningRules firstMatch = new EarningRules(Stacking.FIRST_MATCH, rules, BERLIN, "bronze");
        RuleUsage usage = RuleUsage.none();

        assertThat(apply(firstMatch, order(), usage)).containsExactly(part("exhausted", 10));
        assertThat(apply(firstMatch, order(), usage)).containsExactly(part("exhausted", 0));
    }

    @Test
    void onlyTheRulesKeptCountTowardsTheirPerCustomerCaps() {
        EarningRule small = rule("small", null, fixedPerOrder(5), new Caps(null, 100L, CapPeriod.DAY));
        EarningRule big = rule("big", null, fixedPerOrder(50), new Caps(null, 100L, CapPeriod.DAY));
        EarningRules highest = new EarningRules(Stacking.HIGHEST, List.of(small, big), BERLIN, "bronze");
        RuleUsage usage = RuleUsage.none();

        apply(highest, order(), usage);

        assertThat(usage.changed()).containsOnlyKeys(
                new RuleUsage.Key("c-1", "big", CapPeriod.DAY, LocalDate.parse("2026-03-04")));
    }

    // --- with the base rate and the tier ----------------------------------------------------------------------------

    @Test
    void theTierMultiplierAppliesToBaseAndRulePointsAndTheBreakdownSumsToTheEntry() {
        PointsRules rules = rules(Stacking.SUM, List.of(rule("bonus", null, fixedPerOrder(10)),
                rule("extra", null, pointsPerUnit("0.5"))));
        PointsAccount account = PointsAccount.open("c-1");

        LedgerEntry earned = rules.orderPlaced(account, OrderPoints.unknown("o-1", "c-1"),
                order().line("a", 1, "39.99").build().data(), "silver", RuleUsage.none(), "e-1", T0).get(0);

        // (39.99 + 10 + floor(19.995)) x 2 = 137.98 -> 137
        assertThat(earned.points()).isEqualTo(137);
        assertThat(earned.rules()).containsExactly(part(RulePoints.BASE, 39), part("bonus", 10), part("extra", 19),
                part(RulePoints.TIER, 69));
        assertThat(earned.rules().stream().mapToLong(RulePoints::points).sum()).isEqualTo(earned.points());
        assertThat(earned.toEvent().rules()).hasSize(4);
    }

    @Test
    void withoutRulesTheEarningListsTheBaseAndTheTiersPartAndOtherEntriesNoParts() {
        PointsRules rules = new PointsRules(PointsRulesTest.POLICY);
        PointsAccount account = PointsAccount.open("c-1");
        OrderPoints order = OrderPoints.unknown("o-1", "c-1");

        LedgerEntry earned = rules.orderPlaced(account, order, order().line("a", 1, "39.99").build().data(), "silver",
                "e-1", T0).get(0);
        LedgerEntry reversed = rules.orderCancelled(account, order, "c-1", T0).get(0);

        assertThat(earned.points()).isEqualTo(79);
        assertThat(earned.rules()).containsExactly(part(RulePoints.BASE, 39), part(RulePoints.TIER, 40));
        assertThat(reversed.rules()).isEmpty();
        assertThat(reversed.toEvent().rules()).isNull();
    }

    @Test
    void anOrderInACurrencyWithoutARateEarnsNoRulePointsEither() {
        PointsRules rules = rules(Stacking.SUM, List.of(rule("bonus", null, fixedPerOrder(10))));

        assertThat(rules.orderPlaced(PointsAccount.open("c-1"), OrderPoints.unknown("o-1", "c-1"),
                order().currency("SEK").build().data(), null, RuleUsage.none(), "e-1", T0)).isEmpty();
    }

    @Test
    void aPartialReturnReversesTheRefundedShareOfBaseRulesAndTierAlikeAndACancellationTheRest() {
        PointsRules rules = rules(Stacking.SUM, List.of(rule("bonus", null, fixedPerOrder(100))));
        PointsAccount account = PointsAccount.open("c-1");
        OrderPoints order = OrderPoints.unknown("o-1", "c-1");
        rules.orderPlaced(account, order, order().line("a", 1, "50.00").line("b", 1, "50.00").build().data(), null,
                RuleUsage.none(), "e-1", T0);
        assertThat(order.earned()).isEqualTo(200);

        List<LedgerEntry> returned = rules.orderReturned(account, order, new BigDecimal("50.00"), "r-1", T0);
        List<LedgerEntry> cancelled = rules.orderCancelled(account, order, "c-1", T0);

        assertThat(returned.get(0).points()).isEqualTo(-100);
        assertThat(cancelled.get(0).points()).isEqualTo(-100);
        assertThat(account.pending()).isZero();
        assertThat(account.lifetimeEarned()).isZero();
    }

    @Test
    void aLateTierChangeReRatesBaseAndRulePointsButKeepsTheRulesDecidedAtPlacing() {
        PointsRules rules = rules(Stacking.SUM, List.of(rule("bonus", null, fixedPerOrder(10))));
        PointsAccount account = PointsAccount.open("c-1");
        OrderPoints order = OrderPoints.unknown("o-1", "c-1");
        rules.orderPlaced(account, order, order().line("a", 1, "40.00").build().data(), null, RuleUsage.none(), "e-1",
                T0);

        LedgerEntry correction = rules.tierCorrection(account, order, "gold", "t-1", T0).orElseThrow();

        assertThat(order.earned()).isEqualTo(150);
        assertThat(correction.points()).isEqualTo(100);
        assertThat(correction.rules()).containsExactly(part(RulePoints.TIER, 100));
    }

    // --- helpers ----------------------------------------------------------------------------------------------------

    static PointsRules rules(Stacking stacking, List<EarningRule> rules) {
        return new PointsRules(PointsRulesTest.POLICY.toBuilder()
                .earningRules(new EarningRules(stacking, rules, BERLIN, "bronze")).build());
    }

    private static List<RulePoints> points(List<EarningRule> rules, OrderPlacedBuilder order) {
        return points(Stacking.SUM, rules, order);
    }

    private static List<RulePoints> points(Stacking stacking, List<EarningRule> rules, OrderPlacedBuilder order) {
        return apply(new EarningRules(stacking, rules, BERLIN, "bronze"), order, RuleUsage.none());
    }

    private static List<RulePoints> points(List<EarningRule> rules, OrderPlacedBuilder order, String tier,
                                           boolean firstOrder) {
        OrderPlaced placed = order.build().data();
        return new EarningRules(Stacking.SUM, rules, BERLIN, "bronze").apply(new EarningRules.Order("c-1", placed,
                eligible(placed), BigDecimal.ONE, tier, firstOrder), RuleUsage.none());
    }

    static List<RulePoints> apply(EarningRules rules, OrderPlacedBuilder order, RuleUsage usage) {
        OrderPlaced placed = order.build().data();
        return rules.apply(new EarningRules.Order("c-1", placed, eligible(placed), BigDecimal.ONE, null, true), usage);
    }

    static BigDecimal eligible(OrderPlaced placed) {
        return placed.merchandiseTotal().subtract(placed.pointsRedeemedValue()).max(BigDecimal.ZERO);
    }

    static OrderPlacedBuilder order() {
        return TestEvents.orderPlaced("c-1").placedAt(T0);
    }

    static RulePoints part(String id, long points) {
        return new RulePoints(id, points);
    }

    static EarningRule rule(String id, When when, Effect effect) {
        return rule(id, when, effect, null);
    }

    static EarningRule rule(String id, When when, Effect effect, Caps caps) {
        return new EarningRule(id, id, when == null ? null : when.build(), effect, caps);
    }

    static Effect fixedPerOrder(long points) {
        return new Effect(EffectType.FIXED_PER_ORDER, BigDecimal.valueOf(points));
    }

    static Effect fixedPerLine(long points) {
        return new Effect(EffectType.FIXED_PER_LINE, BigDecimal.valueOf(points));
    }

    static Effect pointsPerUnit(String value) {
        return new Effect(EffectType.POINTS_PER_UNIT, new BigDecimal(value));
    }

    static Effect multiplier(String value) {
        return new Effect(EffectType.MULTIPLIER, new BigDecimal(value));
    }

    static When when() {
        return new When();
    }

    /** Conditions by name. */
    static final class When {
        private List<String> channels;
        private List<String> skus;
        private List<String> skuPrefixes;
        private List<String> categories;
        private Map<String, BigDecimal> minimumOrderValue;
        private List<String> tiers;
        private Window window;
        private List<DayOfWeek> daysOfWeek;
        private Boolean firstOrder;

        When channels(List<String> value) {
            channels = value;
            return this;
        }

        When skus(List<String> value) {
            skus = value;
            return this;
        }

        When skuPrefixes(List<String> value) {
            skuPrefixes = value;
            return this;
        }

        When categories(List<String> value) {
            categories = value;
            return this;
        }

        When minimumOrderValue(Map<String, BigDecimal> value) {
            minimumOrderValue = value;
            return this;
        }

        When tiers(List<String> value) {
            tiers = value;
            return this;
        }

        When window(Window value) {
            window = value;
            return this;
        }

        When daysOfWeek(List<DayOfWeek> value) {
            daysOfWeek = value;
            return this;
        }

        When firstOrder(boolean value) {
            firstOrder = value;
            return this;
        }

        Conditions build() {
            return new Conditions(channels, skus, skuPrefixes, categories, minimumOrderValue, tiers, window,
                    daysOfWeek, firstOrder);
        }
    }
}
