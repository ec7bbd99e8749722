package dev.retention.points.domain;

import dev.retention.contracts.events.OrderPlaced;
import dev.retention.contracts.programme.ProgrammeDocument.CapPeriod;
import dev.retention.contracts.programme.ProgrammeDocument.Caps;
import dev.retention.contracts.programme.ProgrammeDocument.EarningRule;
import dev.retention.contracts.programme.ProgrammeDocument.Effect;
import dev.retention.contracts.programme.ProgrammeDocument.EffectType;
import dev.retention.contracts.programme.ProgrammeDocument.Stacking;
import dev.retention.testsupport.TestEvents;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.retention.points.domain.EarningRulesTest.BERLIN;
import static dev.retention.points.domain.EarningRulesTest.T0;
import static org.assertj.core.api.Assertions.assertThat;

/** Properties of the earning rules over many orders and rule sets. */
class EarningRulesPropertiesTest {

    private static final List<String> SKUS = List.of("tea-1", "tea-2", "mug", "book");
    private static final List<String> CATEGORIES = List.of("tea", "mugs", "books");

    @Property(tries = 300)
    void withoutRulesAnOrderEarnsWhatItEarnedBeforeTheProgrammeWasData(@ForAll("orders") OrderPlaced order,
                                                                       @ForAll("tiers") String tier) {
        PointsRules rules = new PointsRules(PointsRulesTest.POLICY);
        PointsAccount account = PointsAccount.open("c-1");
        OrderPoints points = OrderPoints.unknown(order.orderId(), "c-1");

        rules.orderPlaced(account, points, order, tier, RuleUsage.none(), "e-1", T0);

        BigDecimal multiplier = tier == null ? BigDecimal.ONE : PointsRulesTest.POLICY.tierMultipliers().get(tier);
        long before = order.merchandiseTotal().subtract(order.pointsRedeemedValue()).max(BigDecimal.ZERO)
                .multiply(multiplier).setScale(0, RoundingMode.FLOOR).longValueExact();
        assertThat(points.earned()).isEqualTo(before);
    }

    @Property(tries = 300)
    void theBreakdownOfAnEarningSumsToItsPoints(@ForAll("orders") OrderPlaced order, @ForAll("tiers") String tier,
                                                 @ForAll("ruleSets") List<EarningRule> rules,
                                                 @ForAll Stacking stacking) {
        PointsAccount account = PointsAccount.open("c-1");

        List<LedgerEntry> entries = EarningRulesTest.rules(stacking, rules).orderPlaced(account,
                OrderPoints.unknown(order.orderId(), "c-1"), order, tier, RuleUsage.none(), "e-1", T0);

        entries.stream().filter(entry -> entry.rule().equals(PointsRules.ORDER_EARNING)).forEach(entry ->
                assertThat(entry.rules().stream().mapToLong(RulePoints::points).sum()).isEqualTo(entry.points()));
    }

    @Property(tries = 300)
    void sumGivesAtLeastHighestWhichGivesAtLeastTheFirstMatch(@ForAll("orders") OrderPlaced order,
                                                             @ForAll("ruleSets") List<EarningRule> rules) {
        long sum = total(Stacking.SUM, rules, order);
        long highest = total(Stacking.HIGHEST, rules, order);
        long firstMatch = total(Stacking.FIRST_MATCH, rules, order);

        assertThat(sum).isGreaterThanOrEqualTo(highest);
        assertThat(highest).isGreaterThanOrEqualTo(firstMatch);
        assertThat(highest == 0).isEqualTo(firstMatch == 0 && sum == 0);
    }

    @Property(tries = 200)
    void aRuleNeverGivesMoreThanItsCaps(@ForAll("ruleSets") List<EarningRule> rules,
                                        @ForAll @Size(min = 1, max = 25) List<@IntRange(min = 0, max = 400) Integer> hoursApart,
                                        @ForAll("orders") OrderPlaced template, @ForAll Stacking stacking) {
        EarningRules earning = new EarningRules(stacking, rules, BERLIN, "bronze");
        RuleUsage usage = RuleUsage.none();
        Map<RuleUsage.Key, Long> given = new HashMap<>();
        Instant at = T0;
        for (int hours : hoursApart) {
            at = at.plus(Duration.ofHours(hours));
            OrderPlaced order = at(template, at);
            for (RulePoints part : earning.apply(new EarningRules.Order("c-1", order,
                    EarningRulesTest.eligible(order), BigDecimal.ONE, null, false), usage)) {
                EarningRule rule = rules.stream().filter(r -> r.id().equals(part.ruleId())).findFirst().orElseThrow();
                if (rule.caps() != null && rule.caps().perOrder() != null) {
                    assertThat(part.points()).isLessThanOrEqualTo(rule.caps().perOrder());
                }
                if (rule.caps() != null && rule.caps().perCustomer() != null) {
                    LocalDate start = EarningRules.periodStart(rule.caps().period(), at, BERLIN);
                    RuleUsage.Key key = new RuleUsage.Key("c-1", rule.id(), rule.caps().period(), start);
                    long total = given.merge(key, part.points(), Long::sum);
                    assertThat(total).isLessThanOrEqualTo(rule.caps().perCustomer());
                    assertThat(usage.used(key)).isEqualTo(total);
                }
                assertThat(part.points()).isNotNegative();
            }
        }
    }

    private static long total(Stacking stacking, List<EarningRule> rules, OrderPlaced order) {
        return new EarningRules(stacking, rules, BERLIN, "bronze").apply(new EarningRules.Order("c-1", order,
                        EarningRulesTest.eligible(order), BigDecimal.ONE, null, false), RuleUsage.none())
                .stream().mapToLong(RulePoints::points).sum();
    }

    private static OrderPlaced at(OrderPlaced order, Instant at) {
        return new OrderPlaced(order.orderId(), at, order.channel(), order.currency(), order.lines(),
                order.merchandiseTotal(), order.shippingTotal(), order.taxTotal(), order.discountTotal(),
                order.orderTotal(), order.pointsRedeemed(), order.pointsRedeemedValue());
    }

    @Provide
    Arbitrary<String> tiers() {
        return Arbitraries.of("bronze", "silver", "gold").injectNull(0.25);
    }

    @Provide
    Arbitrary<OrderPlaced> orders() {
        Arbitrary<int[]> line = Combinators.combine(Arbitraries.integers().between(0, SKUS.size() - 1),
                        Arbitraries.integers().between(1, 5), Arbitraries.integers().between(0, 20_000))
                .as((sku, quantity, cents) -> new int[]{sku, quantity, cents});
        return Combinators.combine(line.list().ofMinSize(1).ofMaxSize(6), Arbitraries.of("web", "app"),
                        Arbitraries.integers().between(0, 100))
                .as((lines, channel, paidWithPointsPercent) -> {
                    TestEvents.OrderPlacedBuilder builder = TestEvents.orderPlaced("c-1").placedAt(T0).channel(channel);
                    for (int[] l : lines) {
                        builder.line(SKUS.get(l[0]), l[1], BigDecimal.valueOf(l[2], 2).toPlainString(),
                                CATEGORIES.get(l[0] % CATEGORIES.size()));
                    }
                    OrderPlaced order = builder.build().data();
                    BigDecimal paid = order.merchandiseTotal().multiply(BigDecimal.valueOf(paidWithPointsPercent))
                            .divide(BigDecimal.valueOf(100), 2, RoundingMode.DOWN);
                    return builder.pointsRedeemed(paid.movePointRight(2).longValue(), paid.toPlainString()).build()
                            .data();
                });
    }

    @Provide
    Arbitrary<List<EarningRule>> ruleSets() {
        Arbitrary<Effect> effects = Combinators.combine(Arbitraries.of(EffectType.class),
                        Arbitraries.integers().between(1, 500))
                .as((type, tenths) -> new Effect(type, type == EffectType.MULTIPLIER
                        ? BigDecimal.ONE.add(BigDecimal.valueOf(tenths % 40, 1)) : BigDecimal.valueOf(tenths, 1)));
        Arbitrary<Caps> caps = Combinators.combine(Arbitraries.longs().between(1, 300).injectNull(0.5),
                        Arbitraries.longs().between(1, 600).injectNull(0.4), Arbitraries.of(CapPeriod.class))
                .as((perOrder, perCustomer, period) -> new Caps(perOrder, perCustomer, perCustomer == null ? null : period))
                .injectNull(0.3);
        Arbitrary<EarningRulesTest.When> conditions = Arbitraries.of(
                EarningRulesTest.when(), EarningRulesTest.when().channels(List.of("app")),
                EarningRulesTest.when().skus(List.of("mug")), EarningRulesTest.when().skuPrefixes(List.of("tea-")),
                EarningRulesTest.when().categories(List.of("books")),
                EarningRulesTest.when().minimumOrderValue(Map.of("EUR", new BigDecimal("50.00")))).injectNull(0.3);
        return Combinators.combine(conditions, effects, caps).as((when, effect, cap) -> new Object[]{when, effect, cap})
                .list().ofMinSize(0).ofMaxSize(5)
                .map(specs -> {
                    List<EarningRule> rules = new java.util.ArrayList<>();
                    for (int i = 0; i < specs.size(); i++) {
                        Object[] spec = specs.get(i);
                        rules.add(EarningRulesTest.rule("r-" + i, (EarningRulesTest.When) spec[0], (Effect) spec[1],
                                (Caps) spec[2]));
                    }
                    return rules;
                });
    }
}
