package dev.retention.points.domain;

import dev.retention.contracts.events.OrderPlaced;
import dev.retention.contracts.programme.ProgrammeDocument.EarningRule;
import dev.retention.contracts.programme.ProgrammeDocument.Stacking;
import dev.retention.contracts.programme.simulation.PointsSimulation;
import dev.retention.contracts.programme.simulation.PointsSimulation.CustomerPoints;
import dev.retention.contracts.programme.simulation.TierTimeline;
import dev.retention.points.domain.EarningSimulation.StoredBonus;
import dev.retention.points.domain.EarningSimulation.StoredOrder;
import dev.retention.points.domain.EarningSimulation.Valuation;
import dev.retention.points.persistence.OrderFactsJson;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static dev.retention.points.domain.EarningRulesTest.BERLIN;
import static dev.retention.points.domain.EarningRulesTest.T0;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The simulation's aggregation against the live path: histories of orders (some before the period, to fill the caps)
 * and bonuses are run through {@link PointsRules#orderPlaced} as the consumer does, and their stored form through the
 * simulation.
 */
class EarningSimulationPropertiesTest {

    private static final Instant FROM = T0.plus(Duration.ofDays(10));
    private static final Instant TO = T0.plus(Duration.ofDays(40));
    private static final Valuation EUROS = new Valuation("EUR", Map.of("EUR", new BigDecimal("0.01"),
            "JPY", new BigDecimal("0.0001")));
    private static final List<String> CUSTOMERS = List.of("c-1", "c-2", "c-3", "c-4", "c-5", "c-6");

    private final EarningRulesPropertiesTest generators = new EarningRulesPropertiesTest();

    /** One order of the history: who, when (hours after T0), what, and the tier it was placed in. */
    record Placement(int customer, int hours, OrderPlaced order, String tier) {
    }

    /** What the live path wrote for a history: earnings by customer in the period, the stored orders. */
    record Live(List<StoredOrder> stored, Map<String, Long> issuedByCustomer, long issued, Map<String, Long> byRule,
                Map<String, Long> byTier, long ordersInPeriod) {
    }

    /** The tier the live path rates an order by. */
    @FunctionalInterface
    interface TierAtPlacement {
        String tier(String customer, Placement placement, Instant placedAt);
    }

    @Property(tries = 150)
    void theVersionsInForceGiveWhatTheLivePathWroteAndADraftEqualToThemChangesNothing(
            @ForAll("histories") List<Placement> history, @ForAll("ruleSets") List<EarningRule> rules,
            @ForAll Stacking stacking, @ForAll("bonuses") List<StoredBonus> bonuses) {
        PointsPolicy policy = policy(stacking, rules, 100);
        Live live = live(history, policy);

        PointsSimulation simulation = simulate(live.stored(), bonuses, policy, policy, 20);

        long bonusPoints = inPeriod(bonuses).stream().mapToLong(StoredBonus::points).sum();
        assertThat(simulation.inForce().issued()).isEqualTo(live.issued() + bonusPoints);
        Map<String, Long> byRule = new TreeMap<>(live.byRule());
        inPeriod(bonuses).forEach(bonus -> byRule.merge(bonus.rule(), bonus.points(), Long::sum));
        assertThat(simulation.inForce().byRule()).isEqualTo(byRule);
        assertThat(simulation.inForce().byRule().values().stream().mapToLong(Long::longValue).sum())
                .isEqualTo(simulation.inForce().issued());
        assertThat(simulation.inForce().byTier().values().stream().mapToLong(Long::longValue).sum())
                .isEqualTo(live.issued());
        assertThat(simulation.orders()).isEqualTo(live.ordersInPeriod());
        assertThat(simulation.draft()).isEqualTo(simulation.inForce());
        assertThat(simulation.customersAffected()).isZero();
        assertThat(simulation.topChanges()).isEmpty();
    }

    @Property(tries = 150)
    void aDraftGivesWhatTheLivePathWouldHaveWrittenUnderIt(
            @ForAll("histories") List<Placement> history, @ForAll("ruleSets") List<EarningRule> rules,
            @ForAll("ruleSets") List<EarningRule> draftRules, @ForAll Stacking stacking,
            @ForAll("bonuses") List<StoredBonus> bonuses, @ForAll @IntRange(min = 0, max = 300) int signupBonus,
            @ForAll @IntRange(min = 1, max = 4) int top) {
        PointsPolicy inForce = policy(stacking, rules, 100);
        PointsPolicy draft = policy(stacking, draftRules, signupBonus);
        // Before the period the versions in force applied: the draft takes over their caps' totals at FROM.
        Live live = live(history, inForce);
        Live underDraft = live(history, placedAt -> placedAt.isBefore(FROM) ? inForce : draft);

        PointsSimulation simulation = simulate(live.stored(), bonuses, inForce, draft, top);

        Map<String, Long> inForceTotals = new HashMap<>(live.issuedByCustomer());
        Map<String, Long> draftTotals = new HashMap<>(underDraft.issuedByCustomer());
        for (StoredBonus bonus : inPeriod(bonuses)) {
            inForceTotals.merge(bonus.customerId(), bonus.points(), Long::sum);
            long draftPoints = bonus.rule().equals(PointsRules.SIGNUP_BONUS) ? signupBonus : bonus.points();
            draftTotals.merge(bonus.customerId(), draftPoints, Long::sum);
        }
        assertThat(simulation.draft().issued())
                .isEqualTo(draftTotals.values().stream().mapToLong(Long::longValue).sum());
        assertThat(simulation.draft().byRule().values().stream().mapToLong(Long::longValue).sum())
                .isEqualTo(simulation.draft().issued());
        List<CustomerPoints> changes = new ArrayList<>();
        inForceTotals.keySet().forEach(customer -> {
            long before = inForceTotals.get(customer);
            long after = draftTotals.getOrDefault(customer, 0L);
            if (before != after) {
                changes.add(new CustomerPoints(customer, before, after));
            }
        });
        changes.sort(EarningSimulation.BY_CHANGE);
        assertThat(simulation.customersAffected()).isEqualTo(changes.size());
        assertThat(simulation.topChanges()).isEqualTo(changes.subList(0, Math.min(top, changes.size())));
        assertThat(simulation.customers()).isEqualTo(inForceTotals.size());
    }

    @Property(tries = 100)
    void liabilityIsEachCurrencysPointsTimesTheirValueWithBonusesInTheReportingCurrency(
            @ForAll("histories") List<Placement> history, @ForAll("ruleSets") List<EarningRule> rules,
            @ForAll("bonuses") List<StoredBonus> bonuses) {
        PointsPolicy policy = policy(Stacking.SUM, rules, 100);
        Live live = live(history, policy);

        PointsSimulation simulation = simulate(live.stored(), bonuses, policy, policy, 20);

        long yenOrderPoints = live.stored().stream()
                .filter(o -> !o.placedAt().isBefore(FROM) && o.placedAt().isBefore(TO) && o.currency().equals("JPY"))
                .mapToLong(StoredOrder::earned).sum();
        long euroPoints = simulation.inForce().issued() - yenOrderPoints;
        assertThat(simulation.inForce().liability().getOrDefault("EUR", BigDecimal.ZERO))
                .isEqualByComparingTo(new BigDecimal("0.01").multiply(BigDecimal.valueOf(euroPoints)));
        assertThat(simulation.inForce().liability().getOrDefault("JPY", BigDecimal.ZERO))
                .isEqualByComparingTo(new BigDecimal("0.0001").multiply(BigDecimal.valueOf(yenOrderPoints)));
    }

    @Property(tries = 200)
    void withDraftTiersTheDraftSideIsWhatTheLivePathWritesWhenTheCustomersTiersFollowTheirTimelines(
            @ForAll("histories") List<Placement> history, @ForAll("ruleSets") List<EarningRule> rules,
            @ForAll("ruleSets") List<EarningRule> draftRules, @ForAll Stacking stacking,
            @ForAll("timelines") List<TierTimeline> timelines) {
        PointsPolicy inForce = policy(stacking, rules, 100);
        PointsPolicy draft = policy(stacking, draftRules, 100);
        Live live = live(history, inForce);
        // The live path with the draft in force from FROM, each listed customer's tier history being their timeline
        // from FROM on (known before their orders): every order rated by the tier then in force, rules and multiplier.
        Live underDraft = live(history, placedAt -> placedAt.isBefore(FROM) ? inForce : draft,
                (customer, placement, placedAt) -> placedAt.isBefore(FROM) ? placement.tier()
                        : tierAt(timelines, customer, placedAt, placement.tier()));

        PointsSimulation simulation = simulate(live.stored(), List.of(), inForce, draft, 100,
                DraftTiers.of(timelines));
        PointsSimulation withoutTiers = simulate(live.stored(), List.of(), inForce, draft, 100, DraftTiers.none());

        assertThat(simulation.draft().issued()).isEqualTo(underDraft.issued());
        assertThat(simulation.draft().byRule()).isEqualTo(underDraft.byRule());
        assertThat(simulation.draft().byTier()).isEqualTo(underDraft.byTier());
        assertThat(totals(simulation, CustomerPoints::draft, live.issuedByCustomer()))
                .isEqualTo(underDraft.issuedByCustomer());
        assertThat(simulation.inForce()).as("the in-force side does not move").isEqualTo(withoutTiers.inForce());
    }

    @Property(tries = 200)
    void aTierChangeArrivingAfterTheOrderReRatesItToTheDraftSidesPointsWhenNoRuleLooksAtTiers(
            @ForAll("histories") List<Placement> history, @ForAll("ruleSets") List<EarningRule> rules,
            @ForAll Stacking stacking, @ForAll("timelines") List<TierTimeline> timelines) {
        List<EarningRule> tierBlind = rules.stream()
                .filter(rule -> rule.when() == null || rule.when().tiers() == null || rule.when().tiers().isEmpty())
                .toList();
        PointsPolicy policy = policy(stacking, tierBlind, 100);
        Live live = live(history, policy);
        // The live path when the tier change comes after the order: placed at the tier it carried, then re-rated.
        Live reRated = live(history, placedAt -> policy, (customer, placement, placedAt) -> placedAt.isBefore(FROM)
                ? placement.tier() : tierAt(timelines, customer, placedAt, placement.tier()), true);

        PointsSimulation simulation = simulate(live.stored(), List.of(), policy, policy, 100,
                DraftTiers.of(timelines));

        assertThat(simulation.draft().issued()).isEqualTo(reRated.issued());
        assertThat(totals(simulation, CustomerPoints::draft, live.issuedByCustomer()))
                .isEqualTo(reRated.issuedByCustomer());
    }

    /**
     * The tier a listed customer's timeline has in force at {@code at}, read here as a list: the last change not
     * after it, else the tier at FROM; an unlisted customer keeps {@code stored}.
     */
    private static String tierAt(List<TierTimeline> timelines, String customer, Instant at, String stored) {
        for (TierTimeline timeline : timelines) {
            if (timeline.customerId().equals(customer)) {
                String tier = timeline.tierAtFrom();
                for (TierTimeline.TierChange change : timeline.changes()) {
                    if (!change.effectiveAt().isAfter(at)) {
                        tier = change.tier();
                    }
                }
                return tier;
            }
        }
        return stored;
    }

    /** Each customer's total on one side: those listed in topChanges by it, the others as the in-force side has them. */
    private static Map<String, Long> totals(PointsSimulation simulation,
                                            java.util.function.ToLongFunction<CustomerPoints> side,
                                            Map<String, Long> inForce) {
        Map<String, Long> totals = new HashMap<>(inForce);
        simulation.topChanges().forEach(change -> totals.put(change.customerId(), side.applyAsLong(change)));
        return totals;
    }

    // --- the live path and the simulation ---------------------------------------------------------------------------

    private static List<StoredBonus> inPeriod(List<StoredBonus> bonuses) {
        return bonuses.stream().filter(b -> !b.occurredAt().isBefore(FROM) && b.occurredAt().isBefore(TO)).toList();
    }

    private static PointsPolicy policy(Stacking stacking, List<EarningRule> rules, long signupBonus) {
        return PointsRulesTest.POLICY.toBuilder().signupBonus(signupBonus)
                .earningRules(new EarningRules(stacking, rules, BERLIN, "bronze")).build();
    }

    private static Live live(List<Placement> history, PointsPolicy policy) {
        return live(history, placedAt -> policy);
    }

    /**
     * The consumer's path, one order at a time in placedAt order: {@link PointsRules#orderPlaced} with the usage the
     * customer's earlier orders left, then {@link PointsRules#firstOrderPlaced}. What it stores is what the
     * simulation reads (the facts through their JSON form).
     */
    private static Live live(List<Placement> history, PointsPolicies policies) {
        return live(history, policies, (customer, placement, placedAt) -> placement.tier());
    }

    private static Live live(List<Placement> history, PointsPolicies policies, TierAtPlacement tiers) {
        return live(history, policies, tiers, false);
    }

    /**
     * @param late whether the tier changes come after the orders: each is placed at the tier it carried and re-rated
     *             by {@link PointsRules#tierCorrection} to the tier {@code tiers} gives
     */
    private static Live live(List<Placement> history, PointsPolicies policies, TierAtPlacement tiers, boolean late) {
        List<Placement> ordered = new ArrayList<>(history);
        ordered.sort(Comparator.comparing((Placement p) -> CUSTOMERS.get(p.customer()))
                .thenComparingInt(Placement::hours).thenComparing(p -> p.order().orderId()));
        Map<String, PointsAccount> accounts = new HashMap<>();
        RuleUsage usage = RuleUsage.none();
        List<StoredOrder> stored = new ArrayList<>();
        Map<String, Long> byCustomer = new HashMap<>();
        Map<String, Long> byRule = new TreeMap<>();
        Map<String, Long> byTier = new TreeMap<>();
        long issued = 0;
        long orders = 0;
        for (Placement placement : ordered) {
            String customer = CUSTOMERS.get(placement.customer());
            Instant placedAt = T0.plus(Duration.ofHours(placement.hours()));
            OrderPlaced order = placedAt(placement.order(), placedAt);
            PointsAccount account = accounts.computeIfAbsent(customer, PointsAccount::open);
            OrderPoints points = OrderPoints.unknown(order.orderId(), customer);
            PointsRules rules = PointsRules.under(policies.at(placedAt));
            String tier = tiers.tier(customer, placement, placedAt);
            List<LedgerEntry> entries = new ArrayList<>(rules.orderPlaced(account, points, order,
                    late ? placement.tier() : tier, usage, "e-" + order.orderId(), placedAt));
            rules.firstOrderPlaced(account, null, "e-" + order.orderId(), placedAt);
            if (late) {
                rules.tierCorrection(account, points, tier, "t-" + order.orderId(), placedAt).ifPresent(entries::add);
            }
            stored.add(new StoredOrder(customer, order.orderId(), placedAt, order.currency(),
                    order.merchandiseTotal(), points.earningTier(), points.earned(),
                    OrderFactsJson.read(OrderFactsJson.write(points.facts()))));
            if (!placedAt.isBefore(FROM) && placedAt.isBefore(TO)) {
                orders++;
                byCustomer.merge(customer, 0L, Long::sum);
                for (LedgerEntry entry : entries) {
                    if (entry.rule().equals(PointsRules.ORDER_EARNING)
                            || entry.rule().equals(PointsRules.TIER_CORRECTION)) {
                        issued += entry.points();
                        byCustomer.merge(customer, entry.points(), Long::sum);
                        byTier.merge(points.earningTier() == null ? EarningSimulation.NO_TIER : points.earningTier(),
                                entry.points(), Long::sum);
                        if (entry.rules() != null) {
                            entry.rules().forEach(part -> byRule.merge(part.ruleId(), part.points(), Long::sum));
                        }
                    }
                }
            }
        }
        return new Live(stored, byCustomer, issued, byRule, byTier, orders);
    }

    /** Fed as the store reads them: by customer, orders in placedAt order, then bonuses. */
    private static PointsSimulation simulate(List<StoredOrder> orders, List<StoredBonus> bonuses,
                                             PointsPolicy inForce, PointsPolicy draft, int top) {
        return simulate(orders, bonuses, inForce, draft, top, DraftTiers.none());
    }

    private static PointsSimulation simulate(List<StoredOrder> orders, List<StoredBonus> bonuses,
                                             PointsPolicy inForce, PointsPolicy draft, int top,
                                             DraftTiers draftTiers) {
        EarningSimulation simulation = new EarningSimulation(FROM, TO, PointsPolicies.always(inForce),
                time -> EUROS, draft, EUROS, top, draftTiers);
        for (String customer : CUSTOMERS) {
            orders.stream().filter(o -> o.customerId().equals(customer)).forEach(simulation::accept);
            bonuses.stream().filter(b -> b.customerId().equals(customer)).forEach(simulation::accept);
        }
        return simulation.result();
    }

    private static OrderPlaced placedAt(OrderPlaced order, Instant at) {
        return new OrderPlaced(order.orderId(), at, order.channel(), order.currency(), order.lines(),
                order.merchandiseTotal(), order.shippingTotal(), order.taxTotal(), order.discountTotal(),
                order.orderTotal(), order.pointsRedeemed(), order.pointsRedeemedValue());
    }

    // --- generators -------------------------------------------------------------------------------------------------

    @Provide
    Arbitrary<List<EarningRule>> ruleSets() {
        return generators.ruleSets();
    }

    @Provide
    Arbitrary<List<Placement>> histories() {
        Arbitrary<OrderPlaced> orders = Combinators.combine(generators.orders(), Arbitraries.of("EUR", "EUR", "JPY"))
                .as((order, currency) -> new OrderPlaced(order.orderId(), order.placedAt(), order.channel(), currency,
                        order.lines(), order.merchandiseTotal(), order.shippingTotal(), order.taxTotal(),
                        order.discountTotal(), order.orderTotal(), order.pointsRedeemed(),
                        order.pointsRedeemedValue()));
        return Combinators.combine(Arbitraries.integers().between(0, CUSTOMERS.size() - 1),
                        Arbitraries.integers().between(0, 50 * 24), orders, generators.tiers())
                .as(Placement::new)
                .list().ofMaxSize(30);
    }

    /**
     * Timelines for some of the customers: a tier at FROM and changes within the period, on the hours orders are
     * placed at or a microsecond after (tier-service's effectiveAt for an order's own change), in time order.
     */
    @Provide
    Arbitrary<List<TierTimeline>> timelines() {
        Arbitrary<TierTimeline.TierChange> change = Combinators.combine(
                        Arbitraries.integers().between(10 * 24, 40 * 24), Arbitraries.of(0L, 1_000L),
                        Arbitraries.of("bronze", "silver", "gold"))
                .as((hours, nanos, tier) -> new TierTimeline.TierChange(T0.plus(Duration.ofHours(hours))
                        .plusNanos(nanos), tier));
        Arbitrary<List<TierTimeline.TierChange>> changes = change.list().ofMaxSize(5)
                .map(list -> list.stream().sorted(Comparator.comparing(TierTimeline.TierChange::effectiveAt))
                        .toList());
        return Arbitraries.subsetOf(CUSTOMERS).flatMap(listed -> Combinators.combine(
                        generators.tiers().list().ofSize(listed.size()), changes.list().ofSize(listed.size()))
                .as((atFrom, changed) -> {
                    List<String> customers = listed.stream().sorted().toList();
                    List<TierTimeline> timelines = new ArrayList<>();
                    for (int i = 0; i < customers.size(); i++) {
                        timelines.add(new TierTimeline(customers.get(i), atFrom.get(i), changed.get(i)));
                    }
                    return timelines;
                }));
    }

    @Provide
    Arbitrary<List<StoredBonus>> bonuses() {
        // The ledger holds what the version in force gave (policy(..., 100)): signup 100, review 50, referral 200,
        // birthday 150, feedback 25.
        Map<String, Long> amounts = Map.of(PointsRules.SIGNUP_BONUS, 100L, PointsRules.REVIEW_BONUS, 50L,
                PointsRules.REFERRAL_BONUS, 200L, PointsRules.BIRTHDAY_BONUS, 150L, PointsRules.FEEDBACK_BONUS, 25L);
        return Combinators.combine(Arbitraries.of(CUSTOMERS), Arbitraries.of(PointsRules.BONUSES),
                        Arbitraries.integers().between(0, 50 * 24))
                .as((customer, rule, hours) -> new StoredBonus(customer, rule, T0.plus(Duration.ofHours(hours)),
                        amounts.get(rule)))
                .list().ofMaxSize(8);
    }
}
