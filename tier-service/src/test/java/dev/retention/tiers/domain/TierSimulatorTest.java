package dev.retention.tiers.domain;

import dev.retention.contracts.events.TierChanged;
import dev.retention.contracts.programme.simulation.TierSimulation;
import dev.retention.contracts.programme.simulation.TierTimeline;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** The simulation's re-run, alone: the same sequence as the live path, counted per side. */
class TierSimulatorTest {

    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant FROM = START.plus(Duration.ofDays(200));
    private static final Instant TO = START.plus(Duration.ofDays(500));
    private static final Instant NOW = START.plus(Duration.ofDays(600));

    static TierPolicy policy(String silver, String gold) {
        return TierPolicy.builder().ladder(new TierLadder(List.of(
                        new Tier("bronze", BigDecimal.ZERO, BigDecimal.ONE, "b"),
                        new Tier("silver", new BigDecimal(silver), BigDecimal.TWO, "s"),
                        new Tier("gold", new BigDecimal(gold), BigDecimal.TEN, "g"))))
                .window(Duration.ofDays(90)).grace(Duration.ofDays(20)).riskNotice(Duration.ofDays(7))
                .currency("EUR").exchangeRates(Map.of("EUR", BigDecimal.ONE)).build();
    }

    /** Versions in force: the baseline, then silver raised on day 150 and gold lowered on day 300 (in the period). */
    static final TierRules IN_FORCE = new TierRules(policy("500", "1500"), List.of(
            new TierRules.Change(START.plus(Duration.ofDays(150)), policy("600", "1500")),
            new TierRules.Change(START.plus(Duration.ofDays(300)), policy("600", "1200"))));

    @Property(tries = 200)
    void aDraftEqualToTheVersionsInForceOverThePeriodGivesTheSameFigures(@ForAll("customers") List<List<QualifyingOrder>> customers) {
        // Over [FROM, TO) the versions in force change on day 300; a draft is one policy, so compare on rules that
        // do not change within the period.
        TierRules steady = new TierRules(policy("500", "1500"), List.of(
                new TierRules.Change(START.plus(Duration.ofDays(150)), policy("600", "1500"))));
        TierSimulation simulation = simulate(steady, policy("600", "1500"), customers);

        assertThat(simulation.draft()).isEqualTo(simulation.inForce());
        assertThat(simulation.customersAffected()).isZero();
        assertThat(simulation.topChanges()).isEmpty();
    }

    @Property(tries = 200)
    void theInForceSideCountsExactlyTheChangesTheLiveSequenceMakesWithinThePeriod(
            @ForAll("customers") List<List<QualifyingOrder>> customers) {
        TierSimulation simulation = simulate(IN_FORCE, policy("400", "900"), customers);

        Map<String, Long> moves = new TreeMap<>();
        long upgrades = 0;
        Map<String, Long> distribution = new TreeMap<>();
        for (List<QualifyingOrder> orders : customers) {
            // The live path: one event at a time, with the job at the end (up to TO).
            TierCourse live = TierCourse.start(IN_FORCE);
            List<QualifyingOrder> known = new ArrayList<>();
            List<TierCourse.Evaluated> all = new ArrayList<>();
            for (QualifyingOrder order : orders) {
                if (!order.placedAt().plus(TierCourse.JUST_AFTER).isBefore(TO)) {
                    break;
                }
                known.add(order);
                all.addAll(live.evaluateEvent(order.placedAt(), known));
            }
            all.addAll(live.evaluateDue(TO.minusNanos(1), known));
            for (TierCourse.Evaluated evaluated : all) {
                if (evaluated.at().isBefore(FROM) || evaluated.evaluation().change().isEmpty()) {
                    continue;
                }
                TierChanged change = evaluated.evaluation().change().get();
                moves.merge((change.fromTier() == null ? "none" : change.fromTier()) + "->" + change.toTier(), 1L,
                        Long::sum);
                upgrades += change.direction() == TierChanged.Direction.UP ? 1 : 0;
            }
            distribution.merge(live.status().tier() == null ? "none" : live.status().tier(), 1L, Long::sum);
        }
        assertThat(simulation.inForce().moves()).isEqualTo(moves);
        assertThat(simulation.inForce().upgrades()).isEqualTo(upgrades);
        assertThat(simulation.inForce().distribution()).isEqualTo(distribution);
    }

    @Property(tries = 200)
    void raisingEveryThresholdNeverRaisesAnyonesTierNorFillsAnyTierFromTheTop(
            @ForAll("customers") List<List<QualifyingOrder>> customers, @ForAll @IntRange(min = 0, max = 800) int raise) {
        TierRules steady = TierRules.always(policy("500", "1500"));
        TierSimulation simulation = simulate(steady, policy(String.valueOf(500 + raise), String.valueOf(1500 + raise)),
                customers);

        assertThat(simulation.topChanges()).allSatisfy(change ->
                assertThat(rank(change.draft())).isLessThan(rank(change.inForce())));
        // The count of upgrades may grow (one step to gold can become two steps through silver), but no tier and
        // above it holds more customers at the end.
        for (String tier : List.of("bronze", "silver", "gold")) {
            assertThat(atOrAbove(simulation.draft().distribution(), tier))
                    .as("customers at %s or above", tier)
                    .isLessThanOrEqualTo(atOrAbove(simulation.inForce().distribution(), tier));
        }
    }

    @Test
    void raisingTheThresholdsCanAddAnUpgradeWhenOneStepBecomesTwo() {
        List<QualifyingOrder> orders = List.of(order("a", FROM.plus(Duration.ofDays(1)), "1500"),
                order("b", FROM.plus(Duration.ofDays(2)), "100"));
        TierSimulator simulator = new TierSimulator(TierRules.always(policy("500", "1500")),
                policy("600", "1600"), FROM, TO, FROM.plus(Duration.ofDays(3)), 5);
        simulator.customer("c-1", orders);

        TierSimulation simulation = simulator.result();

        assertThat(simulation.inForce().moves()).isEqualTo(Map.of("none->gold", 1L));
        assertThat(simulation.draft().moves()).isEqualTo(Map.of("none->silver", 1L, "silver->gold", 1L));
        assertThat(simulation.draft().upgrades()).isGreaterThan(simulation.inForce().upgrades());
    }

    private static long atOrAbove(Map<String, Long> distribution, String tier) {
        return distribution.entrySet().stream().filter(e -> rank(e.getKey()) >= rank(tier))
                .mapToLong(Map.Entry::getValue).sum();
    }

    @Property(tries = 300)
    void theDraftTimelinesAreTheChangesTheLiveSequencePublishesWithTheDraftInForceFromTheStart(
            @ForAll("customers") List<List<QualifyingOrder>> customers,
            @ForAll @IntRange(min = 100, max = 900) int silver, @ForAll @IntRange(min = 901, max = 2000) int gold) {
        TierPolicy draft = policy(String.valueOf(silver), String.valueOf(gold));
        TierSimulator simulator = new TierSimulator(IN_FORCE, draft, FROM, TO, NOW, 20, true);
        for (int i = 0; i < customers.size(); i++) {
            simulator.customer("c-" + i, customers.get(i));
        }
        List<TierTimeline> timelines = simulator.result().draftTimelines();

        // The live path, computed apart: the draft published to take effect at FROM, every change as published.
        List<TierTimeline> expected = new ArrayList<>();
        for (int i = 0; i < customers.size(); i++) {
            List<TierChanged> underDraft = published(IN_FORCE.replacedFrom(FROM, draft), customers.get(i));
            List<TierChanged> inForce = published(IN_FORCE, customers.get(i));
            String tierAtFrom = underDraft.stream().filter(c -> c.effectiveAt().isBefore(FROM))
                    .reduce((a, b) -> b).map(TierChanged::toTier).orElse(null);
            List<TierTimeline.TierChange> draftChanges = inPeriod(underDraft);
            if (!draftChanges.equals(inPeriod(inForce))) {
                expected.add(new TierTimeline("c-" + i, tierAtFrom, draftChanges));
            }
        }
        assertThat(timelines).isEqualTo(expected);
    }

    @Property(tries = 100)
    void noTimelinesAreAnsweredUnlessAsked(@ForAll("customers") List<List<QualifyingOrder>> customers) {
        assertThat(simulate(IN_FORCE, policy("300", "900"), customers).draftTimelines()).isNull();
    }

    /** The tier.changed events one customer's orders publish, the job running up to just before TO. */
    private static List<TierChanged> published(TierRules rules, List<QualifyingOrder> orders) {
        TierCourse live = TierCourse.start(rules);
        List<QualifyingOrder> known = new ArrayList<>();
        List<TierCourse.Evaluated> all = new ArrayList<>();
        for (QualifyingOrder order : orders) {
            if (!order.placedAt().plus(TierCourse.JUST_AFTER).isBefore(TO)) {
                break;
            }
            known.add(order);
            all.addAll(live.evaluateEvent(order.placedAt(), known));
        }
        all.addAll(live.evaluateDue(TO.minusNanos(1), known));
        return all.stream().flatMap(e -> e.evaluation().change().stream()).toList();
    }

    private static List<TierTimeline.TierChange> inPeriod(List<TierChanged> changes) {
        return changes.stream().filter(c -> !c.effectiveAt().isBefore(FROM))
                .map(c -> new TierTimeline.TierChange(c.effectiveAt(), c.toTier())).toList();
    }

    @Test
    void topChangesListTheLargestStepFirstThenByCustomerId() {
        List<QualifyingOrder> gold = List.of(order("g", FROM.plus(Duration.ofDays(1)), "1600"));
        List<QualifyingOrder> silver = List.of(order("s", FROM.plus(Duration.ofDays(1)), "700"));
        TierSimulator simulator = new TierSimulator(TierRules.always(policy("500", "1500")),
                policy("5000", "9000"), FROM, TO, FROM.plus(Duration.ofDays(2)), 2);
        simulator.customer("c-b-silver", silver);
        simulator.customer("c-c-gold", gold);
        simulator.customer("c-a-silver", silver);

        TierSimulation simulation = simulator.result();

        assertThat(simulation.customersAffected()).isEqualTo(3);
        assertThat(simulation.topChanges()).extracting(TierSimulation.CustomerTier::customerId)
                .containsExactly("c-c-gold", "c-a-silver");
        assertThat(simulation.draft().distribution()).isEqualTo(Map.of("bronze", 3L));
        assertThat(simulation.inForce().moves()).isEqualTo(Map.of("none->silver", 2L, "none->gold", 1L));
    }

    private static int rank(String tier) {
        return List.of("none", "bronze", "silver", "gold").indexOf(tier);
    }

    private static TierSimulation simulate(TierRules inForce, TierPolicy draft, List<List<QualifyingOrder>> customers) {
        TierSimulator simulator = new TierSimulator(inForce, draft, FROM, TO, NOW, 20);
        for (int i = 0; i < customers.size(); i++) {
            simulator.customer("c-" + i, customers.get(i));
        }
        return simulator.result();
    }

    @Provide
    Arbitrary<List<List<QualifyingOrder>>> customers() {
        Arbitrary<QualifyingOrder> order = Combinators.combine(
                Arbitraries.integers().between(0, 600 * 24),
                Arbitraries.integers().between(1, 1200),
                Arbitraries.integers().between(0, 4),
                Arbitraries.strings().alpha().ofLength(8))
                .as((hours, value, kind, id) -> new QualifyingOrder(id, START.plus(Duration.ofHours(hours)),
                        new BigDecimal(value), kind == 3 ? new BigDecimal(value / 2) : BigDecimal.ZERO, kind == 4));
        return order.list().ofMaxSize(12)
                .map(orders -> orders.stream().sorted(Comparator.comparing(QualifyingOrder::placedAt)).toList())
                .list().ofMaxSize(8);
    }

    private static QualifyingOrder order(String id, Instant placedAt, String value) {
        return new QualifyingOrder(id, placedAt, new BigDecimal(value), BigDecimal.ZERO, false);
    }
}
